"""cleanup-node, evacuate-host and fleet report through the real command.

Subprocesses of ``octavia-maint`` in local mode against the simulator:
bad input is one line and exit 2 with nothing posted; cleanup-node
without --yes shows its plan and posts nothing; the fleet report prints
JSON and writes its Prometheus file.
"""

import json
import os

import pytest

from tests.fixtures import simulator as sim_fixture
from tests.functional.cli import test_cli_end_to_end as e2e
from tests.functional.engine import harness

ORPHAN_HOST = 'compute-001'


@pytest.fixture(scope='module')
def sim():
    with sim_fixture.SimulatorFixture(
            load_balancers=4, hosts=2, tenant_vms=4, orphan_amphora_vms=2,
            orphan_host=ORPHAN_HOST, failover_seconds=0.2) as sim:
        yield sim


@pytest.fixture
def cli(sim, tmp_path):
    """``cli(*args, **groups)``: run octavia-maint with a config file."""
    return cli_for(sim, tmp_path)


def cli_for(sim, tmp_path):
    def run(*args, **groups):
        base = {'persistence': {'connection': 'sqlite:///%s'
                                % (tmp_path / 'jobs.sqlite')},
                'cloud': {'cloud': sim.cloud_name,
                          'status_poll_interval': 0.05},
                'octavia': {'service_project_id':
                            sim.fleet()['service_project_id']}}
        for group, options in groups.items():
            base.setdefault(group, {}).update(options)
        path = harness.write_config(tmp_path / 'octavia-maint.conf', **base)
        env = dict(sim.cli_environment(), HOME=str(tmp_path))
        return e2e.run(['--config-file', path] + list(args), env=env)
    return run


def posted(cli):
    return json.loads(cli('job', 'list', '-f', 'json').stdout or '[]')


@pytest.mark.parametrize('args, groups, message', [
    (['job', 'post', 'cleanup-node', '--host', 'nope', '--yes'], {},
     'host nope has no nova-compute service'),
    (['job', 'post', 'evacuate-host', '--host', 'nope'], {},
     'host nope has no nova-compute service'),
    (['job', 'post', 'evacuate-host', '--host', 'nope', '--dry-run'], {},
     'host nope has no nova-compute service'),
    (['job', 'post', 'evacuate-host'], {}, 'evacuate-host needs --host'),
    (['job', 'post', 'cleanup-node', '--host', ORPHAN_HOST, '--yes'],
     {'octavia': {'service_project_id': ''}},
     '[octavia] service_project_id'),
    (['job', 'post', 'evacuate-host', '--host', ORPHAN_HOST, '--yes'], {},
     'evacuate-host does not take yes'),
    (['fleet', 'report'], {'cloud': {'cloud': 'no-such-cloud'}},
     'no-such-cloud'),
    (['job', 'post', 'evacuate-host', '--host', os.fsdecode(b'compute-\xff')],
     {}, "--host is not valid UTF-8: 'compute-\\xff'"),
    (['fleet', 'report', '--prometheus-file', '/nonexistent/octavia.prom'],
     {}, '--prometheus-file: the folder /nonexistent does not exist'),
])
def test_bad_input_is_one_line_and_exit_2(cli, args, groups, message):
    result = cli(*args, **groups)
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith('octavia-maint: error: ')
    assert message in lines[0]
    assert posted(cli) == []


def test_cleanup_node_without_yes_shows_the_plan_only(sim, cli):
    result = cli('job', 'post', 'cleanup-node', '--host', ORPHAN_HOST,
                 '-f', 'json')
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan['to_run'] == 2
    assert 'only with --yes' in result.stderr
    assert posted(cli) == []
    assert sim.stats()['server_deletes_by_id'] == {}


def test_fleet_report_json_and_prometheus_file(sim, cli, tmp_path):
    path = tmp_path / 'octavia.prom'
    result = cli('fleet', 'report', '-f', 'json', '--cert-days', '40',
                 '--prometheus-file', str(path))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report['load_balancers'] == 4
    assert report['load_balancers_by_status'] == {'ACTIVE': 4}
    assert len(report['expiring_certificates']) == report['amphorae']
    assert 'octavia_maint_fleet_certificates_expiring %s' % float(
        report['amphorae']) in path.read_text()
    table = cli('fleet', 'report')
    assert table.returncode == 0, table.stderr
    assert 'ACTIVE=4' in table.stdout


@pytest.fixture
def lost_host(tmp_path):
    """A simulator whose Nova lost the amphora servers of one host.

    :returns: ``(sim, host, amphora ids)``: Octavia still lists those
        amphorae, Nova answers 404 for their servers and lists no amphora
        on the host.
    """
    with sim_fixture.SimulatorFixture(
            load_balancers=4, hosts=2, failover_seconds=0.2) as sim:
        conn = sim.connection()
        servers = [s for s in conn.compute.servers(
            details=True, all_projects=True) if s.name.startswith('amphora-')]
        host = servers[0].compute_host
        lost = {s.id for s in servers if s.compute_host == host}
        for server_id in lost:
            conn.compute.delete_server(server_id)
        sim_fixture.wait_until(lambda: not [
            s for s in conn.compute.servers(all_projects=True)
            if s.id in lost])
        amphorae = [a.id for a in conn.load_balancer.amphorae()
                    if a.compute_id in lost]
        assert amphorae
        conn.close()
        yield sim, host, amphorae


def compute_service(sim, host):
    conn = sim.connection()
    try:
        return next(conn.compute.services(host=host, binary='nova-compute'))
    finally:
        conn.close()


def test_evacuating_a_host_nova_lost_track_of_needs_force(lost_host,
                                                          tmp_path):
    sim, host, amphorae = lost_host
    cli = cli_for(sim, tmp_path)

    dry = cli('job', 'post', 'evacuate-host', '--host', host, '--dry-run',
              '-f', 'json')
    assert dry.returncode == 0, dry.stderr
    plan = json.loads(dry.stdout)
    assert plan['to_run'] == 0
    assert 'Nova lists no amphora on host %s' % host in plan['notes']
    assert {t['id'] for t in plan['targets']} == set(amphorae)
    assert all('Nova does not know' in t['reason'] for t in plan['targets'])

    before = len(sim.audit())
    refused = cli('job', 'post', 'evacuate-host', '--host', host)
    assert refused.returncode == 2, (refused.stdout, refused.stderr)
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1, refused.stderr
    assert 'Nova lists no amphora on host %s' % host in lines[0]
    assert '--force' in lines[0]
    assert posted(cli) == []
    assert sim.audit()[before:] == []

    forced = cli('job', 'post', 'evacuate-host', '--host', host, '--force',
                 '-f', 'json')
    assert forced.returncode == 0, forced.stderr
    job = json.loads(forced.stdout)
    assert job['state'] == 'succeeded'
    # Nothing to move: the host was never disabled, not even for a while.
    assert compute_service(sim, host).status == 'enabled'
    assert [e for e in sim.audit()[before:]
            if 'os-services' in e['path']] == []
