"""The status tree and listener, pool, health monitor and member shapes,
held the same in the simulator and Octavia 19.

A data-plane check reads these. The real Octavia gets one load balancer
with a listener, a pool, a health monitor and a member created through its
API (about 4 s); the simulator has no create for them, so its fleet makes
the same (one LB, ``members_per_pool: 1``). Both are compared field by
field. Octavia's noop peer runs no health manager, so its operating
statuses stay OFFLINE (a member added before a monitor, NO_MONITOR); the
simulator's say ONLINE as a running health manager would (README.rst).
"""

import pytest

from octavia_maint.common import exceptions
from tests.contract import conftest
from tests.contract import test_octavia_api as api
from tests.fixtures import simulator as sim_fixture

NULL = type(None)
MISSING = '00000000-0000-4000-8000-000000000000'
OPERATING_STATUSES = {'ONLINE', 'OFFLINE', 'DEGRADED', 'ERROR',
                      'NO_MONITOR', 'DRAINING'}
LISTENER_TYPES = {
    'id': str, 'name': str, 'description': str, 'provisioning_status': str,
    'operating_status': str, 'admin_state_up': bool, 'protocol': str,
    'protocol_port': int, 'connection_limit': int,
    'default_tls_container_ref': NULL, 'sni_container_refs': list,
    'project_id': str, 'tenant_id': str, 'default_pool_id': str,
    'l7policies': list, 'insert_headers': dict, 'created_at': str,
    'updated_at': (str, NULL), 'loadbalancers': list,
    'timeout_client_data': int, 'timeout_member_connect': int,
    'timeout_member_data': int, 'timeout_tcp_inspect': int, 'tags': list,
    'client_ca_tls_container_ref': NULL, 'client_authentication': str,
    'client_crl_container_ref': NULL, 'allowed_cidrs': NULL,
    'tls_ciphers': NULL, 'tls_versions': NULL, 'alpn_protocols': NULL,
    'hsts_max_age': NULL, 'hsts_include_subdomains': bool,
    'hsts_preload': bool}
POOL_TYPES = {
    'id': str, 'name': str, 'description': str, 'provisioning_status': str,
    'operating_status': str, 'admin_state_up': bool, 'protocol': str,
    'lb_algorithm': str, 'session_persistence': NULL, 'project_id': str,
    'tenant_id': str, 'loadbalancers': list, 'listeners': list,
    'created_at': str, 'updated_at': (str, NULL), 'healthmonitor_id': str,
    'members': list, 'tags': list, 'tls_container_ref': NULL,
    'ca_tls_container_ref': NULL, 'crl_container_ref': NULL,
    'tls_enabled': bool, 'tls_ciphers': NULL, 'tls_versions': NULL,
    'alpn_protocols': NULL}
HEALTH_MONITOR_TYPES = {
    'id': str, 'name': str, 'provisioning_status': str,
    'operating_status': str, 'admin_state_up': bool, 'type': str,
    'delay': int, 'timeout': int, 'max_retries': int,
    'max_retries_down': int, 'http_method': str, 'http_version': NULL,
    'url_path': str, 'expected_codes': str, 'domain_name': NULL,
    'pools': list, 'project_id': str, 'tenant_id': str, 'tags': list,
    'created_at': str, 'updated_at': (str, NULL)}
MEMBER_TYPES = {
    'id': str, 'name': str, 'provisioning_status': str,
    'operating_status': str, 'admin_state_up': bool, 'address': str,
    'protocol_port': int, 'weight': int, 'backup': bool,
    # The peer's member is created without one (no Neutron behind it).
    'subnet_id': (str, NULL), 'project_id': str, 'tenant_id': str,
    'created_at': str, 'updated_at': (str, NULL), 'monitor_address': NULL,
    'monitor_port': NULL, 'tags': list, 'vnic_type': str}
TREE_KEYS = ['id', 'listeners', 'name', 'operating_status',
             'provisioning_status']
LISTENER_STATUS_KEYS = ['id', 'name', 'operating_status', 'pools',
                        'provisioning_status']
POOL_STATUS_KEYS = ['health_monitor', 'id', 'members', 'name',
                    'operating_status', 'provisioning_status']
MONITOR_STATUS_KEYS = ['id', 'name', 'operating_status',
                       'provisioning_status', 'type']
MEMBER_STATUS_KEYS = ['address', 'id', 'name', 'operating_status',
                      'protocol_port', 'provisioning_status']


class Serving:
    """A load balancer serving one listener, pool, monitor and member."""

    def __init__(self, target, lb_id):
        self.target = target
        self.lb_id = lb_id
        status, body = target.call('GET', '/v2.0/lbaas/listeners',
                                   params={'load_balancer_id': lb_id})
        (listener,) = body['listeners']
        self.listener_id = listener['id']
        self.pool_id = listener['default_pool_id']
        status, body = target.call('GET', '/v2.0/lbaas/pools/' + self.pool_id)
        self.monitor_id = body['pool']['healthmonitor_id']
        (member,) = body['pool']['members']
        self.member_id = member['id']


def _create_in_octavia(target):
    """Listener, pool, monitor and member, each once the LB is ACTIVE."""
    lb_id = target.create_load_balancer('SINGLE')

    def post(path, key, spec):
        status, body = target.call('POST', '/v2.0/lbaas/' + path,
                                   {key: spec})
        assert status == 201, body
        target.cloud.wait_for_load_balancer(lb_id, timeout=conftest.
                                            WAIT_SECONDS,
                                            interval=conftest.POLL_SECONDS)
        return body[key]['id']

    listener_id = post('listeners', 'listener', {
        'name': 'listener-1', 'protocol': 'HTTP', 'protocol_port': 80,
        'loadbalancer_id': lb_id})
    pool_id = post('pools', 'pool', {
        'name': 'pool-1', 'protocol': 'HTTP', 'lb_algorithm': 'ROUND_ROBIN',
        'listener_id': listener_id})
    post('healthmonitors', 'healthmonitor', {
        'name': 'healthmonitor-1', 'pool_id': pool_id, 'type': 'HTTP',
        'delay': 5, 'timeout': 3, 'max_retries': 3})
    post('pools/%s/members' % pool_id, 'member', {
        'name': 'member-1', 'address': '100.64.0.1', 'protocol_port': 8080})
    return lb_id


@pytest.fixture(scope='module')
def serving_simulator():
    with sim_fixture.SimulatorFixture(
            **dict(conftest.SIMULATOR_FLEET, load_balancers=1,
                   members_per_pool=1)) as sim:
        target = conftest.Target('simulator', sim, sim.url + '/load-balancer')
        lb_id = target.cloud.list_load_balancers()[0]['id']
        yield Serving(target, lb_id)
        target.close()


@pytest.fixture(scope='module')
def serving_octavia(octavia_target):
    return Serving(octavia_target, _create_in_octavia(octavia_target))


@pytest.fixture(params=conftest.TARGETS)
def serving(request):
    return request.getfixturevalue('serving_' + request.param)


def test_status_tree(serving):
    tree = serving.target.cloud.get_load_balancer_status_tree(serving.lb_id)
    assert sorted(tree) == TREE_KEYS
    (listener,) = tree['listeners']
    assert sorted(listener) == LISTENER_STATUS_KEYS
    (pool,) = listener['pools']
    assert sorted(pool) == POOL_STATUS_KEYS
    assert sorted(pool['health_monitor']) == MONITOR_STATUS_KEYS
    (member,) = pool['members']
    assert sorted(member) == MEMBER_STATUS_KEYS
    assert (tree['id'], listener['id'], pool['id'],
            pool['health_monitor']['id'], member['id']) == (
        serving.lb_id, serving.listener_id, serving.pool_id,
        serving.monitor_id, serving.member_id)
    assert (listener['name'], pool['name'], member['address'],
            member['protocol_port'], pool['health_monitor']['type']) == (
        'listener-1', 'pool-1', '100.64.0.1', 8080, 'HTTP')
    for node in (tree, listener, pool, pool['health_monitor'], member):
        assert node['provisioning_status'] == 'ACTIVE'
        assert node['operating_status'] in OPERATING_STATUSES


def test_status_tree_of_a_missing_lb(serving):
    path = '/v2.0/lbaas/loadbalancers/%s/status' % MISSING
    assert serving.target.call('GET', path) == (404, api.fault(
        'Load Balancer %s not found.' % MISSING))
    with pytest.raises(exceptions.NotFound):
        serving.target.cloud.get_load_balancer_status_tree(MISSING)


def test_show_shapes(serving):
    call = serving.target.call
    pool_path = '/v2.0/lbaas/pools/' + serving.pool_id
    for path, key, types in (
            ('/v2.0/lbaas/listeners/' + serving.listener_id, 'listener',
             LISTENER_TYPES),
            (pool_path, 'pool', POOL_TYPES),
            ('/v2.0/lbaas/healthmonitors/' + serving.monitor_id,
             'healthmonitor', HEALTH_MONITOR_TYPES),
            (pool_path + '/members/' + serving.member_id, 'member',
             MEMBER_TYPES)):
        status, body = call('GET', path)
        assert status == 200, body
        api._assert_types(body[key], types)
    status, body = call('GET', pool_path)
    assert (body['pool']['listeners'], body['pool']['loadbalancers'],
            body['pool']['members']) == (
        [{'id': serving.listener_id}], [{'id': serving.lb_id}],
        [{'id': serving.member_id}])
    status, body = call('GET', '/v2.0/lbaas/loadbalancers/' + serving.lb_id)
    assert (body['loadbalancer']['listeners'],
            body['loadbalancer']['pools']) == (
        [{'id': serving.listener_id}], [{'id': serving.pool_id}])


def test_listings_and_filters(serving):
    call = serving.target.call
    for path, key, lb_filter in (
            ('/v2.0/lbaas/listeners', 'listeners', 'loadbalancer_id'),
            ('/v2.0/lbaas/listeners', 'listeners', 'load_balancer_id'),
            ('/v2.0/lbaas/pools', 'pools', 'loadbalancer_id'),
            ('/v2.0/lbaas/pools', 'pools', 'load_balancer_id')):
        status, body = call('GET', path, params={lb_filter: serving.lb_id})
        assert (status, len(body[key]), body[key + '_links']) == (
            200, 1, []), (path, lb_filter)
    status, body = call('GET', '/v2.0/lbaas/healthmonitors',
                        params={'pool_id': serving.pool_id})
    assert [m['id'] for m in body['healthmonitors']] == [serving.monitor_id]
    status, body = call('GET', '/v2.0/lbaas/pools/%s/members'
                        % serving.pool_id, params={'limit': 1})
    assert [m['id'] for m in body['members']] == [serving.member_id]
    status, body = call('GET', '/v2.0/lbaas/listeners', params={
        'fields': 'operating_status', 'load_balancer_id': serving.lb_id})
    assert [sorted(item) for item in body['listeners']] == [
        ['operating_status']]
    for path, params in (('/v2.0/lbaas/pools', {'listener_id': MISSING}),
                         ('/v2.0/lbaas/healthmonitors',
                          {'loadbalancer_id': MISSING})):
        assert call('GET', path, params=params) == (400, api.fault(
            'One or more arguments are either duplicate or invalid'))


def test_missing_children(serving):
    call = serving.target.call
    pool_path = '/v2.0/lbaas/pools/' + serving.pool_id
    for path, resource in (
            ('/v2.0/lbaas/listeners/' + MISSING, 'Listener'),
            ('/v2.0/lbaas/pools/' + MISSING, 'Pool'),
            ('/v2.0/lbaas/healthmonitors/' + MISSING, 'Health Monitor'),
            (pool_path + '/members/' + MISSING, 'Member')):
        assert call('GET', path) == (404, api.fault(
            '%s %s not found.' % (resource, MISSING)))
    # Octavia answers this one in pecan's format: only the status agrees.
    status, _ = call('GET', '/v2.0/lbaas/pools/%s/members' % MISSING)
    assert status == 404
