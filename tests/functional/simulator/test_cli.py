"""The real ``openstack`` CLI (with the octavia plugin) against the simulator.

Each CLI start costs one to two seconds, so the commands run once, all at
the same time, from one module fixture; the tests then check what each
command printed and what the cloud saw.
"""

import json
import subprocess
import sys

import pytest

OPENSTACK = [sys.executable, '-m', 'openstackclient.shell']
DISABLE_REASON = 'octavia-maint evacuate-host job 7'


@pytest.fixture(scope='module')
def cli(simulator, tmp_path_factory):
    """Run every command concurrently; :returns: ``{name: (rc, out, err)}``."""
    simulator.reset()
    # Failovers stay PENDING_UPDATE until the test moves the clock.
    simulator.set_transitions(failover={'seconds': 3600})
    conn = simulator.connection()
    lbs = list(conn.load_balancer.load_balancers())
    image_file = tmp_path_factory.mktemp('cli') / 'amphora.qcow2'
    image_file.write_bytes(b'a small amphora image')
    commands = {
        'lb_list': ['loadbalancer', 'list', '-f', 'json'],
        'lb_show': ['loadbalancer', 'show', lbs[0].id, '-f', 'json'],
        'lb_failover': ['loadbalancer', 'failover', lbs[1].id],
        'amphora_list': ['loadbalancer', 'amphora', 'list', '--loadbalancer',
                         lbs[0].id, '-f', 'json'],
        'server_list': ['server', 'list', '--all-projects', '--host',
                        'compute-001', '-f', 'json'],
        'service_set': ['compute', 'service', 'set', '--disable',
                        '--disable-reason', DISABLE_REASON, 'compute-002',
                        'nova-compute'],
        'image_create': ['image', 'create', '--tag', 'amphora', '--file',
                         str(image_file), '--disk-format', 'qcow2',
                         'amphora-cli', '-f', 'json'],
    }
    processes = {
        name: subprocess.Popen(
            OPENSTACK + ['--os-cloud', simulator.cloud_name] + args,
            env=simulator.cli_environment(), stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        for name, args in commands.items()}
    results = {}
    for name, process in processes.items():
        out, err = process.communicate(timeout=120)
        results[name] = (process.returncode, out, err)
    results['lbs'] = lbs
    return results


def _json(cli, name):
    returncode, out, err = cli[name]
    assert returncode == 0, err
    return json.loads(out)


def test_loadbalancer_list_and_show(cli):
    listed = _json(cli, 'lb_list')
    shown = _json(cli, 'lb_show')

    assert {lb['id'] for lb in listed} == {lb.id for lb in cli['lbs']}
    assert shown['id'] == cli['lbs'][0].id
    assert shown['provisioning_status'] == 'ACTIVE'


def test_loadbalancer_failover(cli, simulator, conn):
    returncode, _out, err = cli['lb_failover']
    lb_id = cli['lbs'][1].id

    assert returncode == 0, err
    assert conn.load_balancer.get_load_balancer(
        lb_id).provisioning_status == 'PENDING_UPDATE'
    assert simulator.stats()['failovers_by_lb'] == {lb_id: 1}


def test_amphora_list(cli, conn):
    listed = _json(cli, 'amphora_list')

    assert {a['id'] for a in listed} == {
        a.id for a in conn.load_balancer.amphorae(
            loadbalancer_id=cli['lbs'][0].id)}


def test_server_list_by_host(cli, conn):
    listed = _json(cli, 'server_list')

    assert listed
    assert {s['ID'] for s in listed} == {
        s.id for s in conn.compute.servers(all_projects=True,
                                           compute_host='compute-001')}


def test_compute_service_disable(cli, conn):
    returncode, _out, err = cli['service_set']
    service = next(iter(conn.compute.services(host='compute-002',
                                              binary='nova-compute')))

    assert returncode == 0, err
    assert (service.status, service.disabled_reason) == ('disabled',
                                                         DISABLE_REASON)


def test_image_create_with_tag(cli, conn):
    created = _json(cli, 'image_create')
    newest = next(iter(conn.image.images(tag='amphora',
                                         sort='created_at:desc')))

    assert newest.id == created['id']
    assert newest.status == 'active'
    assert newest.size == len(b'a small amphora image')
