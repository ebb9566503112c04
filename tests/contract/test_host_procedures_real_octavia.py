"""evacuate-host, then cleanup-node, against the real Octavia 19.

Octavia's noop compute driver boots no server anywhere: it reports a
``compute_id`` no Nova knows, so host procedures planned nothing against
it. Here the simulator's Nova stands beside it: the test registers a
server for each ``compute_id`` Octavia reports, on hosts it chooses
(``POST /_sim/servers``). evacuate-host then has real amphorae to move:
Octavia fails them over (their replacements get servers Nova does not
know, so they are on no host), and the servers of the replaced amphorae,
which the noop driver never deletes, are left on the host as a failed
node leaves them, for cleanup-node to delete. Local mode, SQLite.
"""

import uuid

import pytest

from octavia_maint.common import constants
from tests.fixtures import octavia_peer
from tests.fixtures import simulator as sim_fixture
from tests.functional.engine import conftest as engine_conftest

HOST = 'compute-001'
OTHER_HOST = 'compute-002'


@pytest.fixture
def sim(peer, monkeypatch):
    """Keystone, Nova and Glance simulated; Octavia real."""
    with sim_fixture.SimulatorFixture(
            load_balancers=0, hosts=3,
            endpoint_overrides={'load-balancer': peer.endpoint}) as sim:
        monkeypatch.setenv('OS_CLIENT_CONFIG_FILE', sim.clouds_yaml_path)
        yield sim


@pytest.fixture
def service(config, sim, tmp_path):
    groups = engine_conftest.local_groups(tmp_path,
                                          max_concurrent_failovers=2)
    groups['octavia'] = {
        'service_project_id': sim.fleet()['service_project_id']}
    service = engine_conftest.service_for(config, groups)
    yield service
    service.close()


def create_load_balancers(peer, http):
    """One SINGLE and one ACTIVE_STANDBY LB; :returns: ``{lb_id: [its
    amphorae, MASTER first]}`` once both are ACTIVE."""
    flavors = {f['name']: f['id'] for f in http.get(
        peer.endpoint + '/v2.0/lbaas/flavors').json()['flavors']}
    lb_ids = []
    for flavor in ('amphora-single', 'amphora-active-standby'):
        response = http.post(peer.endpoint + '/v2.0/lbaas/loadbalancers',
                             json={'loadbalancer': {
                                 'name': 'evacuate-' + flavor,
                                 'vip_subnet_id': str(uuid.uuid4()),
                                 'flavor_id': flavors[flavor]}})
        assert response.status_code == 201, response.text
        lb_ids.append(response.json()['loadbalancer']['id'])
    sim_fixture.wait_until(lambda: all(
        status(http, peer, lb_id) == 'ACTIVE' for lb_id in lb_ids),
        timeout=60, interval=0.2)
    return {lb_id: amphorae(http, peer, lb_id) for lb_id in lb_ids}


def status(http, peer, lb_id):
    return http.get(peer.endpoint + '/v2.0/lbaas/loadbalancers/' + lb_id
                    ).json()['loadbalancer']['provisioning_status']


def amphorae(http, peer, lb_id):
    found = http.get(peer.endpoint + '/v2.0/octavia/amphorae',
                     params={'loadbalancer_id': lb_id}).json()['amphorae']
    return sorted((a for a in found if a['status'] == 'ALLOCATED'),
                  key=lambda a: a['role'] != 'MASTER')


def servers_on(sim, host):
    connection = sim.connection()
    try:
        return sorted(s.id for s in connection.compute.servers(
            all_projects=True, compute_host=host))
    finally:
        connection.close()


def test_evacuate_host_then_cleanup_node(peer, sim, service):
    http = octavia_peer.http_session(uuid.uuid4().hex)
    fleet = create_load_balancers(peer, http)
    (single_lb, single), (pair_lb, pair) = fleet.items()
    # The SINGLE amphora and the pair's MASTER on HOST, its BACKUP beside.
    on_host = [single[0], pair[0]]
    sim.register_servers(
        [{'id': a['compute_id'], 'host': HOST, 'name': 'amphora-' + a['id']}
         for a in on_host] +
        [{'id': pair[1]['compute_id'], 'host': OTHER_HOST,
          'name': 'amphora-' + pair[1]['id']}])

    plan = service.plan(constants.EVACUATE_HOST, {'host': HOST})
    assert sorted(t['id'] for t in plan['targets']
                  if t['action'] == constants.PLAN_RUN) == sorted(fleet)
    job_id = service.post(constants.EVACUATE_HOST, {'host': HOST})
    service.local_runner().run(job_id)
    view = service.show(job_id)
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert view['counts'][constants.OUTCOME_SUCCEEDED] == 2
    after = {lb_id: amphorae(http, peer, lb_id) for lb_id in fleet}
    assert {lb_id: status(http, peer, lb_id) for lb_id in fleet} == {
        single_lb: 'ACTIVE', pair_lb: 'ACTIVE'}
    live = {a['id'] for found in after.values() for a in found}
    assert not live & {a['id'] for a in on_host}      # both replaced
    assert pair[1]['id'] in live                      # its BACKUP stayed
    assert [len(after[single_lb]), len(after[pair_lb])] == [1, 2]
    host_status = sim.fleet()['hosts'][HOST]
    assert host_status['status'] == 'disabled'
    assert job_id in host_status['disabled_reason']

    # What the noop driver left behind: the replaced amphorae's servers.
    orphans = sorted(a['compute_id'] for a in on_host)
    assert servers_on(sim, HOST) == orphans
    plan = service.plan(constants.CLEANUP_NODE, {'host': HOST})
    assert sorted(t['id'] for t in plan['targets']
                  if t['action'] == constants.PLAN_RUN) == orphans
    job_id = service.post(constants.CLEANUP_NODE,
                          {'host': HOST, 'yes': True})
    service.local_runner().run(job_id)
    view = service.show(job_id)
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert servers_on(sim, HOST) == []
    assert servers_on(sim, OTHER_HOST) == [pair[1]['compute_id']]
    assert sim.stats()['server_deletes_by_id'] == dict.fromkeys(orphans, 1)
    http.close()
