"""rotate-image against the real Octavia 19, with a conductor killed mid-way.

The load-balancer endpoint is the real Octavia (the simulator's Keystone
advertises it); images and compute come from the simulator. Octavia's
noop drivers report ``image_id`` null, so staleness is judged by creation
time against the new image (DESIGN.md section 4). The judge of "no
duplicate failover" is Octavia's own database: each failover creates one
new amphora row per amphora of the load balancer, so after the rotation
every load balancer has exactly as many amphora rows created since the
rotation began as its topology has amphorae.
"""

import datetime
import os
import time
import uuid

from oslo_config import fixture as config_fixture
import pytest

from octavia_maint.common import constants
from octavia_maint.common import image_file
from octavia_maint import conf
from octavia_maint.jobs import service as service_mod
from tests.fixtures import octavia_peer
from tests.fixtures import simulator as sim_fixture
from tests.fixtures import zookeeper
from tests.functional.engine import harness

LOAD_BALANCERS = {'SINGLE': 14, 'ACTIVE_STANDBY': 6}
AMPHORAE = {'SINGLE': 1, 'ACTIVE_STANDBY': 2}
THROTTLE = 4
SESSION_TIMEOUT = 4


@pytest.fixture
def cloud(peer):
    """Keystone, Nova and Glance simulated; Octavia real."""
    with sim_fixture.SimulatorFixture(
            load_balancers=0,
            endpoint_overrides={'load-balancer': peer.endpoint}) as sim:
        yield sim


def create_fleet(peer, project_id):
    """Create the load balancers through the real API, wait until ACTIVE.

    :returns: ``{lb_id: topology}``.
    """
    http = octavia_peer.http_session(project_id)
    flavors = {f['name']: f['id'] for f in http.get(
        peer.endpoint + '/v2.0/lbaas/flavors').json()['flavors']}
    fleet = {}
    for topology, count in LOAD_BALANCERS.items():
        flavor = flavors[{'SINGLE': 'amphora-single', 'ACTIVE_STANDBY':
                          'amphora-active-standby'}[topology]]
        for n in range(count):
            response = http.post(
                peer.endpoint + '/v2.0/lbaas/loadbalancers',
                json={'loadbalancer': {
                    'name': 'rotate-%s-%02d' % (topology.lower(), n),
                    'vip_subnet_id': str(uuid.uuid4()),
                    'flavor_id': flavor}})
            assert response.status_code == 201, response.text
            fleet[response.json()['loadbalancer']['id']] = topology
    sim_fixture.wait_until(
        lambda: statuses(http, peer, project_id) == {'ACTIVE'}, timeout=180,
        interval=0.5)
    http.close()
    return fleet


def statuses(http, peer, project_id):
    lbs = http.get(peer.endpoint + '/v2.0/lbaas/loadbalancers',
                   params={'project_id': project_id}).json()['loadbalancers']
    return {lb['provisioning_status'] for lb in lbs}


def new_amphorae(peer, since):
    """``{lb_id: amphora rows created since}`` from Octavia's database."""
    return dict(peer.query(
        "SELECT load_balancer_id, COUNT(*) FROM amphora WHERE created_at >= "
        "'%s' GROUP BY load_balancer_id"
        % since.strftime('%Y-%m-%d %H:%M:%S')))


def test_rotation_with_kill_9_fails_each_over_once(peer, zk, cloud, tmp_path):
    # A project Keystone knows: the job refuses one it does not.
    connection = cloud.connection()
    project_id = connection.identity.create_project(
        name='rotation-%s' % uuid.uuid4().hex[:8]).id
    connection.close()
    fleet = create_fleet(peer, project_id)
    groups = harness.config_groups(
        zk.hosts, zookeeper.PrivateZooKeeper.unique_path(),
        'sqlite:///%s' % (tmp_path / 'jobs.sqlite'), max_concurrent=THROTTLE,
        session_timeout=SESSION_TIMEOUT)
    config_file = harness.write_config(tmp_path / 'octavia-maint.conf',
                                       **groups)
    config = config_fixture.Config(conf.CONF)
    config.setUp()
    for group, options in groups.items():
        config.config(group=group, **options)
    os.environ['OS_CLIENT_CONFIG_FILE'] = cloud.clouds_yaml_path
    service = service_mod.JobService(conf.CONF)
    image = tmp_path / 'amphora.qcow2'
    image.write_bytes(image_file.qcow2_header(2 * 1024 ** 3) +
                      os.urandom(4096))
    service.backend.cloud.create_image('amphora-new', str(image),
                                       ['amphora'])
    # Octavia's timestamps have whole seconds: let the second turn, so an
    # amphora booted from now on is never dated before the image.
    time.sleep(1.1)
    began = datetime.datetime.utcnow()
    conductors = [harness.ConductorProcess(
        config_file, cloud.clouds_yaml_path,
        str(tmp_path / ('conductor-%d.log' % n))) for n in range(2)]
    try:
        job_id = service.post(constants.ROTATE_IMAGE,
                              {'project_id': project_id})
        sim_fixture.wait_until(
            lambda: len(new_amphorae(peer, began)) >= 5, timeout=120,
            interval=0.2)
        conductors[0].kill()
        view = sim_fixture.wait_until(
            lambda: (service.show(job_id) if service.show(job_id)['state']
                     not in constants.ACTIVE_JOB_STATES else None),
            timeout=240, interval=0.5)
    finally:
        for conductor in conductors:
            conductor.stop()
        service.close()
        config.cleanUp()
        del os.environ['OS_CLIENT_CONFIG_FILE']
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert view['counts'][constants.OUTCOME_SUCCEEDED] == len(fleet)
    http = octavia_peer.http_session(project_id)
    assert statuses(http, peer, project_id) == {'ACTIVE'}
    amphorae = http.get(peer.endpoint + '/v2.0/octavia/amphorae').json()[
        'amphorae']
    http.close()
    replaced = {a['loadbalancer_id'] for a in amphorae
                if a['loadbalancer_id'] in fleet
                and a['created_at'] >= began.strftime('%Y-%m-%dT%H:%M:%S')}
    assert replaced == set(fleet)
    # One failover each, never two: exactly one new amphora per amphora.
    assert new_amphorae(peer, began) == {
        lb_id: AMPHORAE[topology] for lb_id, topology in fleet.items()}
