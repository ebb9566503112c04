"""Octavia v2 through the real openstacksdk, and exact wire bodies."""

import openstack.exceptions
import pytest
import requests

from tests.fixtures import simulator as sim_fixture
from tests.functional.simulator import helpers

LB_FIELDS = {
    'id', 'name', 'description', 'project_id', 'provisioning_status',
    'operating_status', 'admin_state_up', 'provider', 'vip_address',
    'vip_port_id', 'vip_subnet_id', 'vip_network_id', 'flavor_id',
    'availability_zone', 'created_at', 'updated_at', 'listeners', 'pools',
    'tags'}
AMPHORA_FIELDS = {
    'id', 'loadbalancer_id', 'compute_id', 'lb_network_ip', 'vrrp_ip',
    'ha_ip', 'vrrp_port_id', 'ha_port_id', 'cert_expiration', 'cert_busy',
    'role', 'status', 'vrrp_interface', 'vrrp_id', 'vrrp_priority',
    'cached_zone', 'created_at', 'updated_at', 'image_id', 'compute_flavor'}


def _active_standby_lb(conn):
    for lb in conn.load_balancer.load_balancers():
        if len(list(conn.load_balancer.amphorae(loadbalancer_id=lb.id))) == 2:
            return lb
    raise AssertionError('no ACTIVE_STANDBY LB in the fleet')


def _upload_amphora_image(conn, name):
    image = conn.image.create_image(
        name, data=b'new amphora image', tags=['amphora'],
        disk_format='qcow2', container_format='bare', allow_duplicates=True)
    return conn.image.get_image(image.id)


def test_wire_fields_of_lbs_and_amphorae(sim):
    lbs = helpers.call(sim, 'GET', '/load-balancer/v2/lbaas/loadbalancers')
    amps = helpers.call(sim, 'GET', '/load-balancer/v2.0/octavia/amphorae')

    lb = lbs.json()['loadbalancers'][0]
    amphora = amps.json()['amphorae'][0]
    assert LB_FIELDS <= set(lb)
    assert AMPHORA_FIELDS <= set(amphora)
    assert lbs.json()['loadbalancers_links'] == []
    assert isinstance(amphora['cert_busy'], bool)
    assert amphora['role'] in ('STANDALONE', 'MASTER', 'BACKUP')
    assert len(lb['created_at']) == len('2024-05-01T10:20:30')


def test_not_found_body(sim):
    response = helpers.call(
        sim, 'GET', '/load-balancer/v2/lbaas/loadbalancers/missing-id')

    assert response.status_code == 404
    assert response.json() == {'faultcode': 'Client',
                               'faultstring': 'Load Balancer missing-id '
                                              'not found.',
                               'debuginfo': None}


def test_failover_replaces_amphorae_on_the_newest_tagged_image(sim, conn):
    lb = _active_standby_lb(conn)
    old = {a.id: a for a in conn.load_balancer.amphorae(loadbalancer_id=lb.id)}
    old_servers = {a.compute_id for a in old.values()}
    image = _upload_amphora_image(conn, 'amphora-new')
    sim.set_transitions(failover={'seconds': 60})

    conn.load_balancer.failover_load_balancer(lb.id)

    assert conn.load_balancer.get_load_balancer(
        lb.id).provisioning_status == 'PENDING_UPDATE'
    sim.set_time(advance=60)
    conn.load_balancer.wait_for_load_balancer(lb.id, interval=0.05, wait=30)
    new = list(conn.load_balancer.amphorae(loadbalancer_id=lb.id))
    assert len(new) == 2 and not set(old) & {a.id for a in new}
    assert {a.image_id for a in new} == {image.id}
    assert {a.role for a in new} == {'MASTER', 'BACKUP'}
    hosts = {conn.compute.get_server(a.compute_id).compute_host for a in new}
    assert len(hosts) == 2, 'an ACTIVE_STANDBY pair shares a host'
    remaining = {s.id for s in conn.compute.servers(all_projects=True)}
    assert not old_servers & remaining
    stats = sim.stats()
    assert stats['failovers_by_lb'] == {lb.id: 1}
    assert stats['peak_concurrent_failovers'] == 1
    assert stats['concurrent_failovers'] == 0
    audit = [e for e in sim.audit() if e['path'].endswith('/failover')]
    assert [(e['method'], e['target_id'], e['status'])
            for e in audit] == [('PUT', lb.id, 202)]


def test_failover_of_a_pending_lb_is_a_409(sim, conn):
    lb = next(iter(conn.load_balancer.load_balancers()))
    sim.set_transitions(failover={'seconds': 3600})
    conn.load_balancer.failover_load_balancer(lb.id)

    response = helpers.call(
        sim, 'PUT', '/load-balancer/v2/lbaas/loadbalancers/%s/failover'
        % lb.id)
    amphora = next(iter(conn.load_balancer.amphorae(loadbalancer_id=lb.id)))
    amphora_response = helpers.call(
        sim, 'PUT', '/load-balancer/v2/octavia/amphorae/%s/failover'
        % amphora.id)

    assert response.status_code == 409
    assert response.json() == {
        'faultcode': 'Client',
        'faultstring': 'Invalid state PENDING_UPDATE of loadbalancer '
                       'resource %s' % lb.id,
        'debuginfo': None}
    assert amphora_response.status_code == 409
    assert amphora_response.json()['faultstring'] == (
        'Load Balancer %s is immutable and cannot be updated.' % lb.id)
    with pytest.raises(openstack.exceptions.ConflictException):
        conn.load_balancer.failover_load_balancer(lb.id)


def test_amphora_failover_replaces_one_amphora(sim, conn):
    lb = _active_standby_lb(conn)
    first, second = conn.load_balancer.amphorae(loadbalancer_id=lb.id)

    conn.load_balancer.failover_amphora(first.id)
    conn.load_balancer.wait_for_load_balancer(lb.id, interval=0.05, wait=30)

    ids = {a.id for a in conn.load_balancer.amphorae(loadbalancer_id=lb.id)}
    assert second.id in ids and first.id not in ids and len(ids) == 2
    assert sim.stats()['amphora_failovers_by_id'] == {first.id: 1}
    with pytest.raises(openstack.exceptions.NotFoundException):
        conn.load_balancer.get_amphora(first.id)


def test_error_lbs_accept_failover_and_ovn_lbs_do_not(simulator, conn):
    simulator.reset(error_lbs=1, ovn_ratio=0.2, load_balancers=10)
    lbs = list(conn.load_balancer.load_balancers())
    error_lb = next(lb for lb in lbs if lb.provisioning_status == 'ERROR')
    ovn_lb = next(lb for lb in lbs if lb.provider == 'ovn')

    conn.load_balancer.failover_load_balancer(error_lb.id)
    response = helpers.call(
        simulator, 'PUT', '/load-balancer/v2/lbaas/loadbalancers/%s/failover'
        % ovn_lb.id)

    conn.load_balancer.wait_for_load_balancer(error_lb.id, interval=0.05,
                                              wait=30)
    assert response.status_code == 501
    assert 'does not support loadbalancer failover' in response.json()[
        'faultstring']
    assert list(conn.load_balancer.amphorae(loadbalancer_id=ovn_lb.id)) == []


def test_amphora_filters_accept_any_field_and_refuse_unknown_ones(sim, conn):
    lb = _active_standby_lb(conn)
    masters = list(conn.load_balancer.amphorae(role='MASTER'))
    idle = list(conn.load_balancer.amphorae(cert_busy=False))
    by_project = helpers.call(
        sim, 'GET', '/load-balancer/v2/octavia/amphorae?project_id=%s'
        % lb.project_id).json()['amphorae']
    unknown = helpers.call(
        sim, 'GET', '/load-balancer/v2/octavia/amphorae?colour=blue')

    assert masters and {a.role for a in masters} == {'MASTER'}
    assert len(idle) == sum(1 for _ in conn.load_balancer.amphorae())
    assert lb.id in {a['loadbalancer_id'] for a in by_project}
    assert unknown.status_code == 400
    assert unknown.json()['faultstring'] == (
        'One or more arguments are either duplicate or invalid')


def test_lb_filters_and_field_selection(sim, conn):
    lb = next(iter(conn.load_balancer.load_balancers()))
    same_project = list(conn.load_balancer.load_balancers(
        project_id=lb.project_id))
    active = list(conn.load_balancer.load_balancers(
        provisioning_status='ACTIVE'))
    named = helpers.call(
        sim, 'GET', '/load-balancer/v2/lbaas/loadbalancers?name=%s'
        '&fields=id&fields=name' % lb.name).json()['loadbalancers']

    assert {x.project_id for x in same_project} == {lb.project_id}
    assert len(active) == 6
    assert named == [{'id': lb.id, 'name': lb.name}]


def test_pagination_is_followed_by_the_sdk(simulator, conn):
    simulator.reset(load_balancers=11, pagination_max_limit=4)
    before = simulator.stats()['requests_total']

    lbs = list(conn.load_balancer.load_balancers())
    requests_made = simulator.stats()['requests_total'] - before
    page = helpers.call(simulator, 'GET',
                        '/load-balancer/v2/lbaas/loadbalancers?limit=4')

    assert len({lb.id for lb in lbs}) == 11
    # Pages of 4, 4, 3: three requests, the last page has no next link.
    assert requests_made == 3
    links = page.json()['loadbalancers_links']
    assert [link['rel'] for link in links] == ['next']
    last = page.json()['loadbalancers'][-1]['id']
    assert links[0]['href'].endswith(
        '/load-balancer/v2/lbaas/loadbalancers?limit=4&marker=%s' % last)
    bad_marker = helpers.call(
        simulator, 'GET',
        '/load-balancer/v2/lbaas/loadbalancers?marker=nope')
    assert bad_marker.status_code == 400


def test_configure_amphora_is_accepted(sim, conn):
    amphora = next(iter(conn.load_balancer.amphorae()))

    conn.load_balancer.configure_amphora(amphora.id)

    entry = sim.audit()[-1]
    assert (entry['method'], entry['target_id'], entry['status']) == (
        'PUT', amphora.id, 202)
    assert entry['path'].endswith('/config')


def test_version_document_lists_v2(sim):
    versions = requests.get(sim.url + '/load-balancer', timeout=10).json()

    current = [v for v in versions['versions'] if v['status'] == 'CURRENT']
    assert len(current) == 1
    assert current[0]['links'][0]['href'] == sim.url + '/load-balancer/v2'


def test_wait_helper_reports_timeouts():
    with pytest.raises(AssertionError):
        sim_fixture.wait_until(lambda: False, timeout=0.01)
