"""repair through the real ``octavia-maint`` command, against the simulator.

Local mode (the CLI runs the job; a run killed with ``kill -9`` is
resumed with ``job resume``) and the ZooKeeper board (two real
conductors; the one holding the campaign is killed with ``kill -9``). The
fleet has load balancers in ERROR (one with its amphora in ERROR too),
an ACTIVE pair with its standby in ERROR, an ACTIVE pair and an ACTIVE
single with every amphora in ERROR, and healthy ones. The simulator's
counters judge: each load balancer to repair failed over exactly once
(an amphora failover only for the pair's standby), the healthy ones never,
and every load balancer ACTIVE with no amphora in ERROR afterwards.
"""

import json
import subprocess

import pytest

from tests.fixtures import simulator as sim_fixture
from tests.functional.cli import test_cli_end_to_end as e2e
from tests.functional.engine import conftest
from tests.functional.engine import harness
from tests.functional.engine import test_host_procedures_board as board

THROTTLE = 2
SESSION_TIMEOUT = 4
# LBs 1-4 are ACTIVE_STANDBY, 5-8 SINGLE; 7 and 8 are in ERROR.
FLEET = {'load_balancers': 8, 'active_standby_ratio': 0.5, 'hosts': 3,
         'error_lbs': 2}
ENDED = ('succeeded', 'failed', 'cancelled', 'interrupted')


@pytest.fixture
def sim(monkeypatch):
    sim = conftest.make_simulator(monkeypatch, failover_seconds=0.4,
                                  **FLEET)
    yield sim
    sim.cleanUp()


def break_fleet(sim):
    """Put amphorae in ERROR, as an outage leaves them.

    :returns: ``{'lbs': {lb id: 1}, 'amphorae': {amphora id: 1},
        'healthy': [lb id]}``: the failovers a repair must issue.
    """
    conn = sim.connection()
    try:
        lbs = {lb.name: lb.id for lb in conn.load_balancer.load_balancers()}
        roles = {}
        for a in conn.load_balancer.amphorae():
            roles.setdefault(a.loadbalancer_id, {})[a.role] = a.id
    finally:
        conn.close()
    # FAILOVER_STOPPED: the health manager's failover threshold left it
    # to the operator, as after an outage; repair treats it as ERROR.
    for name, role, status in (
            ('lb-00001', 'BACKUP', 'ERROR'), ('lb-00002', 'MASTER', 'ERROR'),
            ('lb-00002', 'BACKUP', 'FAILOVER_STOPPED'),
            ('lb-00005', 'STANDALONE', 'ERROR'),
            ('lb-00007', 'STANDALONE', 'ERROR')):
        sim.set_amphora_status(roles[lbs[name]][role], status)
    repaired = ('lb-00001', 'lb-00002', 'lb-00005', 'lb-00007', 'lb-00008')
    return {'lbs': {lbs[n]: 1 for n in repaired},
            'amphorae': {roles[lbs['lb-00001']]['BACKUP']: 1},
            'healthy': sorted(i for n, i in lbs.items()
                              if n not in repaired),
            'standby_lb': lbs['lb-00001']}


def assert_repaired_once(sim, expected):
    stats = sim.stats()
    assert stats['failovers_by_lb'] == expected['lbs']
    assert stats['amphora_failovers_by_id'] == expected['amphorae']
    assert stats['automatic_failovers'] == 0
    fleet = sim.fleet()
    assert fleet['load_balancers_by_status'] == {'ACTIVE': 8}
    assert 'ERROR' not in fleet['amphorae_by_status']
    assert 'FAILOVER_STOPPED' not in fleet['amphorae_by_status']


def assert_succeeded(view, expected):
    assert view['state'] == 'succeeded', view['reason']
    outcomes = {t['target']: t['outcome'] for t in view['targets']}
    assert outcomes == dict.fromkeys(expected['lbs'], 'succeeded')


def cli_for(sim, config_file, home):
    """``cli(*args)`` runs ``octavia-maint --config-file F *args`` to its
    end; ``cli.command(*args)`` is that command line, ``cli.env`` its
    environment."""
    env = dict(sim.cli_environment(), HOME=str(home))

    def cli(*args):
        return e2e.run(['--config-file', config_file] + list(args), env=env)
    cli.command = lambda *args: (e2e.CLI + ['--config-file', config_file] +
                                 list(args))
    cli.env = env
    return cli


@pytest.fixture
def local_cli(sim, tmp_path):
    """octavia-maint in local mode (see :func:`cli_for`)."""
    return cli_for(sim, harness.write_config(
        tmp_path / 'octavia-maint.conf', **conftest.local_groups(
            tmp_path, max_concurrent_failovers=THROTTLE)), tmp_path)


def json_of(result):
    assert result.returncode == 0, (result.stdout, result.stderr)
    return json.loads(result.stdout)


def test_dry_run_lists_what_and_why_then_repair_fails_over_each_once(
        sim, local_cli):
    expected = break_fleet(sim)
    plan = json_of(local_cli('job', 'post', 'repair', '--dry-run', '-f',
                             'json'))
    reasons = {t['id']: t['reason'] for t in plan['targets']
               if t['action'] == 'run'}
    assert set(reasons) == set(expected['lbs'])
    assert plan['to_run'] == len(expected['lbs'])
    for lb_id, reason in reasons.items():
        how = ('amphora failover' if lb_id == expected['standby_lb']
               else 'load balancer failover')
        assert reason.startswith(how + ': '), reason
    assert not set(expected['healthy']) & {t['id'] for t in plan['targets']}
    # A dry run changes nothing and posts nothing.
    assert sim.stats()['failovers_total'] == 0
    assert json_of(local_cli('job', 'list', '-f', 'json')) == []

    view = json_of(local_cli('job', 'post', 'repair', '--wait', '-f',
                             'json'))
    assert_succeeded(view, expected)
    assert_repaired_once(sim, expected)
    assert sim.stats()['peak_concurrent_failovers'] <= THROTTLE
    again = json_of(local_cli('job', 'post', 'repair', '--dry-run', '-f',
                              'json'))
    assert again['to_run'] == 0 and again['targets'] == []


def test_narrowed_to_a_project_or_load_balancers(sim, local_cli):
    expected = break_fleet(sim)
    one = sorted(expected['lbs'])[:2]
    plan = json_of(local_cli('job', 'post', 'repair', '--dry-run', '-f',
                             'json', '--load-balancer', one[0],
                             '--load-balancer', expected['healthy'][0]))
    assert {t['id']: t['action'] for t in plan['targets']} == {
        one[0]: 'run', expected['healthy'][0]: 'skip'}
    project = sim.connection().load_balancer.get_load_balancer(
        one[1]).project_id
    plan = json_of(local_cli('job', 'post', 'repair', '--dry-run', '-f',
                             'json', '--project-id', project))
    assert one[1] in {t['id'] for t in plan['targets']}
    assert {t['project_id'] for t in plan['targets']} == {project}


@pytest.mark.parametrize('args, message', [
    (['--load-balancer', 'nope'], 'not a load balancer ID'),
    (['--load-balancer', e2e.LB], 'does not exist'),
    (['--include-error'], 'repair does not take include_error'),
])
def test_bad_input_is_one_line_and_exit_2(sim, local_cli, args, message):
    result = local_cli('job', 'post', 'repair', *args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert sim.stats()['failovers_total'] == 0


def test_local_kill_9_then_resume_fails_over_each_once(sim, local_cli):
    expected = break_fleet(sim)
    sim.set_transitions(failover={'seconds': 1.5})
    crashing = subprocess.Popen(
        local_cli.command('job', 'post', 'repair', '--wait'),
        env=local_cli.env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        sim_fixture.wait_until(lambda: sim.stats()['failovers_total'],
                               timeout=60)
    finally:
        crashing.kill()
        crashing.wait()
    [job] = json_of(local_cli('job', 'list', '-f', 'json'))
    assert job['state'] == 'interrupted'
    view = json_of(local_cli('job', 'resume', job['id'], '--wait', '-f',
                             'json'))
    assert_succeeded(view, expected)
    # The killed process's failovers went on in the cloud, unknown to the
    # resumed one's throttle: the peak is not asserted here.
    assert_repaired_once(sim, expected)


@pytest.fixture
def cluster(zk, sim, config, tmp_path):
    """``(service, conductors, cli)`` on a ZooKeeper board."""
    sim.set_transitions(failover={'seconds': 1.5})
    groups = conftest.board_groups(zk, tmp_path, THROTTLE,
                                   session_timeout=SESSION_TIMEOUT)
    with conftest.board_cluster(sim, config, tmp_path, groups) as (
            service, start):
        # board_cluster wrote the conductors' configuration there.
        yield service, start(2), cli_for(
            sim, str(tmp_path / 'octavia-maint.conf'), tmp_path)


def test_board_kill_9_of_the_campaign_owner_fails_over_each_once(
        sim, cluster):
    service, conductors, cli = cluster
    expected = break_fleet(sim)
    plan = json_of(cli('job', 'post', 'repair', '--dry-run', '-f', 'json'))
    assert plan['to_run'] == len(expected['lbs'])
    posted = cli('job', 'post', 'repair', '-f', 'value', '-c', 'id')
    assert posted.returncode == 0, posted.stderr
    job_id = posted.stdout.strip()
    sim_fixture.wait_until(lambda: sim.stats()['failovers_total'],
                           timeout=60)
    board.campaign_owner(service, job_id, conductors).kill()

    def ended():
        view = json_of(cli('job', 'show', job_id, '-f', 'json'))
        return view if view['state'] in ENDED else None
    view = sim_fixture.wait_until(ended, timeout=120, interval=1)
    assert_succeeded(view, expected)
    assert_repaired_once(sim, expected)
    assert sim.stats()['peak_concurrent_failovers'] <= THROTTLE


def test_cancel_stops_further_failovers_and_undoes_none(sim, local_cli):
    expected = break_fleet(sim)
    # Failovers end only when the test advances the simulated clock: the
    # cancel surely arrives while the first ones are in flight.
    sim.set_transitions(failover={'seconds': 3600})
    running = subprocess.Popen(
        local_cli.command('job', 'post', 'repair', '--wait'),
        env=local_cli.env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        sim_fixture.wait_until(
            lambda: sim.stats()['concurrent_failovers'] == THROTTLE,
            timeout=60)
        [job] = json_of(local_cli('job', 'list', '-f', 'json'))
        json_of(local_cli('job', 'cancel', job['id'], '-f', 'json'))
        sim.set_time(advance=3601)
        running.wait(timeout=120)
    finally:
        running.kill()
    view = json_of(local_cli('job', 'show', job['id'], '-f', 'json'))
    assert view['state'] == 'cancelled'
    # The two failovers in flight ended in the cloud; none was issued
    # after the cancel, none repeated, and nothing was reverted.
    failed_over = sim.stats()['failovers_by_lb']
    assert len(failed_over) == THROTTLE and set(failed_over.values()) == {1}
    broken = in_error(sim)
    assert not set(failed_over) & broken
    assert broken == set(expected['lbs']) - set(failed_over)
    # A new repair picks up exactly what is left.
    plan = json_of(local_cli('job', 'post', 'repair', '--dry-run', '-f',
                             'json'))
    assert {t['id'] for t in plan['targets']} == broken


def in_error(sim):
    """The load balancers in ERROR or with an amphora in ERROR (or
    FAILOVER_STOPPED)."""
    conn = sim.connection()
    try:
        return ({lb.id for lb in conn.load_balancer.load_balancers()
                 if lb.provisioning_status == 'ERROR'} |
                {a.loadbalancer_id for a in conn.load_balancer.amphorae()
                 if a.status in ('ERROR', 'FAILOVER_STOPPED')})
    finally:
        conn.close()


def test_a_failover_ending_in_error_fails_the_target_and_the_job(
        sim, local_cli):
    expected = break_fleet(sim)
    stuck = sorted(expected['lbs'])[0]
    sim.set_faults(failover_error_lb_ids=[stuck])
    result = local_cli('job', 'post', 'repair', '--wait', '-f', 'json')
    assert result.returncode == 1, result.stderr
    view = json.loads(result.stdout)
    assert view['state'] == 'failed'
    outcomes = {t['target']: t['outcome'] for t in view['targets']}
    assert outcomes.pop(stuck) == 'failed'
    assert set(outcomes.values()) == {'succeeded'}
    # Failed over once; the others are repaired and stay so.
    assert sim.stats()['failovers_by_lb'] == expected['lbs']
    assert in_error(sim) == {stuck}
    # Once the cause is fixed, a new repair plans and repairs what is left.
    sim.set_faults(failover_error_lb_ids=[])
    plan = json_of(local_cli('job', 'post', 'repair', '--dry-run', '-f',
                             'json'))
    assert [t['id'] for t in plan['targets']] == [stuck]
    view = json_of(local_cli('job', 'post', 'repair', '--wait', '-f',
                             'json'))
    assert view['state'] == 'succeeded', view['reason']
    assert sim.stats()['failovers_by_lb'] == dict(expected['lbs'],
                                                  **{stuck: 2})
    assert in_error(sim) == set()
