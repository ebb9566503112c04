"""Octavia's observable behaviour, held the same in the simulator and Octavia.

The expectations are what the real Octavia 19 (noop drivers) does; each
scenario runs against both targets (see conftest). Differences that
cannot be matched, and why, are in ``README.rst`` beside this file.
"""

import re
import uuid

import pytest

from octavia_maint.common import exceptions

TOPOLOGIES = ('SINGLE', 'ACTIVE_STANDBY')
ROLES = {'SINGLE': ['STANDALONE'], 'ACTIVE_STANDBY': ['BACKUP', 'MASTER']}
TIMESTAMP = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$')
NULL = type(None)
# Field names and JSON types of Octavia 19's load balancer and amphora.
# A field Octavia's noop drivers leave null (no Nova, no Glance behind
# them) may be null or hold its type.
LOAD_BALANCER_TYPES = {
    'id': str, 'name': str, 'description': str, 'provisioning_status': str,
    'operating_status': str, 'admin_state_up': bool, 'project_id': str,
    'tenant_id': str, 'created_at': str, 'updated_at': (str, NULL),
    'vip_address': str, 'vip_port_id': str, 'vip_subnet_id': str,
    'vip_network_id': str, 'vip_sg_ids': list, 'additional_vips': list,
    'listeners': list, 'pools': list, 'provider': str,
    'flavor_id': (str, NULL), 'vip_qos_policy_id': (str, NULL),
    'tags': list, 'availability_zone': (str, NULL), 'vip_vnic_type': str}
AMPHORA_TYPES = {
    'id': str, 'loadbalancer_id': str, 'compute_id': str,
    'lb_network_ip': str, 'vrrp_ip': str, 'ha_ip': str, 'vrrp_port_id': str,
    'ha_port_id': str, 'cert_expiration': str, 'cert_busy': bool,
    'role': str, 'status': str, 'vrrp_interface': (str, NULL),
    'vrrp_id': int, 'vrrp_priority': (int, NULL),
    'cached_zone': (str, NULL), 'created_at': str, 'updated_at': str,
    'image_id': (str, NULL), 'compute_flavor': (str, NULL)}


def fault(message):
    """Octavia's (WSME) error body."""
    return {'faultcode': 'Client', 'faultstring': message, 'debuginfo': None}


def amphorae_of(target, lb_id):
    return sorted(target.cloud.list_amphorae(loadbalancer_id=lb_id),
                  key=lambda a: a['role'] or '')


@pytest.mark.parametrize('topology', TOPOLOGIES)
def test_create_status_sequence(target, topology):
    status, body = target.post_load_balancer(topology)
    assert status == 201, body
    lb = body['loadbalancer']
    assert (lb['provisioning_status'], lb['operating_status'],
            lb['updated_at']) == ('PENDING_CREATE', 'OFFLINE', None)
    assert lb['project_id'] == lb['tenant_id'] == target.project_id
    assert target.statuses_until(lb['id'], 'ACTIVE') == [
        'PENDING_CREATE', 'ACTIVE']
    amphorae = amphorae_of(target, lb['id'])
    assert [a['role'] for a in amphorae] == ROLES[topology]
    assert {a['status'] for a in amphorae} == {'ALLOCATED'}


@pytest.mark.parametrize('topology', TOPOLOGIES)
def test_load_balancer_failover_sequence(target, topology):
    lb_id = target.create_load_balancer(topology)
    before = amphorae_of(target, lb_id)
    target.cloud.failover_load_balancer(lb_id)
    assert target.statuses_until(lb_id, 'ACTIVE') == [
        'PENDING_UPDATE', 'ACTIVE']
    after = amphorae_of(target, lb_id)
    assert [a['role'] for a in after] == ROLES[topology]
    assert not {a['id'] for a in before} & {a['id'] for a in after}
    for amphora in before:
        with pytest.raises(exceptions.NotFound):
            target.cloud.get_amphora(amphora['id'])


@pytest.mark.parametrize('topology', TOPOLOGIES)
def test_amphora_failover_sequence(target, topology):
    lb_id = target.create_load_balancer(topology)
    before = amphorae_of(target, lb_id)
    target.cloud.failover_amphora(before[0]['id'])
    assert target.statuses_until(lb_id, 'ACTIVE') == [
        'PENDING_UPDATE', 'ACTIVE']
    after = amphorae_of(target, lb_id)
    assert [a['role'] for a in after] == ROLES[topology]
    assert before[0]['id'] not in {a['id'] for a in after}
    assert {a['id'] for a in before[1:]} <= {a['id'] for a in after}


def test_conflicts_while_pending(target):
    status, body = target.post_load_balancer('ACTIVE_STANDBY')
    lb_id = body['loadbalancer']['id']
    pending = 'Invalid state %s of loadbalancer resource ' + lb_id
    assert target.call('PUT', '/v2.0/lbaas/loadbalancers/%s/failover'
                       % lb_id) == (409, fault(pending % 'PENDING_CREATE'))
    target.cloud.wait_for_load_balancer(lb_id)
    amphora_id = amphorae_of(target, lb_id)[0]['id']
    target.cloud.failover_load_balancer(lb_id)
    with pytest.raises(exceptions.Conflict, match=re.escape(
            pending % 'PENDING_UPDATE')):
        target.cloud.failover_load_balancer(lb_id)
    assert target.call('PUT', '/v2.0/octavia/amphorae/%s/failover'
                       % amphora_id) == (409, fault(
                           'Load Balancer %s is immutable and cannot be '
                           'updated.' % lb_id))
    assert target.call('DELETE', '/v2.0/lbaas/loadbalancers/' + lb_id) == (
        409, fault(pending % 'PENDING_UPDATE'))
    target.cloud.wait_for_load_balancer(lb_id)


def test_delete_sequence(target):
    lb_id = target.create_load_balancer('SINGLE')
    path = '/v2.0/lbaas/loadbalancers/' + lb_id
    assert target.call('DELETE', path) == (204, None)
    assert target.call('DELETE', path) == (409, fault(
        'Invalid state PENDING_DELETE of loadbalancer resource ' + lb_id))
    assert target.statuses_until(lb_id, 404) == ['PENDING_DELETE', 404]
    assert target.cloud.list_amphorae(loadbalancer_id=lb_id) == []


def test_not_found_bodies(target):
    lb_id, amphora_id = str(uuid.uuid4()), str(uuid.uuid4())
    assert target.call('GET', '/v2.0/lbaas/loadbalancers/' + lb_id) == (
        404, fault('Load Balancer %s not found.' % lb_id))
    assert target.call('GET', '/v2.0/octavia/amphorae/' + amphora_id) == (
        404, fault('Amphora %s not found.' % amphora_id))
    for method, path in (
            ('PUT', '/v2.0/lbaas/loadbalancers/%s/failover' % lb_id),
            ('DELETE', '/v2.0/lbaas/loadbalancers/' + lb_id)):
        assert target.call(method, path) == (
            404, fault('Load Balancer %s not found.' % lb_id))
    assert target.call('PUT', '/v2.0/octavia/amphorae/%s/failover'
                       % amphora_id) == (
        404, fault('Amphora %s not found.' % amphora_id))
    with pytest.raises(exceptions.NotFound):
        target.cloud.get_load_balancer(lb_id)


def test_create_validation(target):
    no_vip = {'name': 'x'}
    assert target.call('POST', '/v2.0/lbaas/loadbalancers',
                       {'loadbalancer': no_vip}) == (400, fault(
                           'Validation failure: VIP must contain one of: '
                           'vip_port_id, vip_network_id, vip_subnet_id.'))
    assert target.post_load_balancer(
        'SINGLE', flavor_id=str(uuid.uuid4())) == (
        400, fault('Validation failure: Invalid flavor_id.'))
    assert target.post_load_balancer('SINGLE', vip_subnet_id='subnet-1') == (
        400, fault("Invalid input for field/attribute vip_subnet_id. Value: "
                   "'subnet-1'. Value should be UUID format"))


def test_amphora_filters(target):
    lb_ids = [target.create_load_balancer(t) for t in TOPOLOGIES]
    every = target.cloud.list_amphorae()
    amphora = amphorae_of(target, lb_ids[1])[0]

    def ids(amphorae):
        return sorted(a['id'] for a in amphorae)
    for field in ('compute_id', 'image_id', 'status', 'loadbalancer_id',
                  'role'):
        value = amphora[field] or str(uuid.uuid4())
        assert ids(target.cloud.list_amphorae(**{field: value})) == ids(
            a for a in every if a[field] == value), field
    assert target.call('GET', '/v2.0/octavia/amphorae',
                       params={'colour': 'red'}) == (400, fault(
                           'One or more arguments are either duplicate or '
                           'invalid'))
    with pytest.raises(exceptions.BadRequest):
        target.cloud.list_amphorae(colour='red')


@pytest.mark.parametrize('collection,key', (
    ('/v2.0/lbaas/loadbalancers', 'loadbalancers'),
    ('/v2.0/octavia/amphorae', 'amphorae')))
def test_pagination_links(target, collection, key):
    for _ in range(3 - len(target.call('GET', collection)[1][key])):
        target.create_load_balancer('SINGLE')
    url = target.base_url + collection
    status, first = target.call('GET', collection, params={'limit': 1})
    assert status == 200
    marker = first[key][0]['id']
    assert first[key + '_links'] == [
        {'href': '%s?limit=1&marker=%s' % (url, marker), 'rel': 'next'}]
    status, second = target.call('GET', collection,
                                 params={'limit': 1, 'marker': marker})
    second_id = second[key][0]['id']
    assert second[key + '_links'] == [
        {'href': '%s?limit=1&marker=%s&page_reverse=True' % (url, second_id),
         'rel': 'previous'},
        {'href': '%s?limit=1&marker=%s' % (url, second_id), 'rel': 'next'}]
    status, ordered = target.call('GET', collection,
                                  params={'limit': 1, 'sort': 'id:desc'})
    assert ordered[key + '_links'] == [
        {'href': '%s?limit=1&sort=id:desc&marker=%s'
                 % (url, ordered[key][0]['id']), 'rel': 'next'}]


def test_list_errors_and_fields(target):
    path = '/v2.0/lbaas/loadbalancers'
    if not target.call('GET', path)[1]['loadbalancers']:
        target.create_load_balancer('SINGLE')
    assert target.call('GET', path, params={'sort': 'colour:asc'}) == (
        400, fault("Supplied sort key 'colour' is not valid."))
    marker = str(uuid.uuid4())
    assert target.call('GET', path, params={'marker': marker}) == (
        400, fault("Supplied pagination marker '%s' is not valid." % marker))
    status, body = target.call('GET', path, params=[('fields', 'id'),
                                                    ('fields', 'name')])
    assert {tuple(sorted(lb)) for lb in body['loadbalancers']} == {
        ('id', 'name')}
    status, body = target.call('GET', path, params={'fields': 'id,name'})
    assert {tuple(lb) for lb in body['loadbalancers']} == {()}


def _assert_types(document, types):
    assert sorted(document) == sorted(types)
    wrong = {field: value for field, value in document.items()
             if not isinstance(value, types[field])
             or isinstance(value, bool) != (types[field] is bool)}
    assert wrong == {}


@pytest.mark.parametrize('topology', TOPOLOGIES)
def test_field_names_and_types(target, topology):
    lb_id = target.create_load_balancer(topology)
    status, body = target.call('GET', '/v2.0/lbaas/loadbalancers/' + lb_id)
    _assert_types(body['loadbalancer'], LOAD_BALANCER_TYPES)
    status, body = target.call('GET', '/v2.0/octavia/amphorae',
                               params={'loadbalancer_id': lb_id})
    for amphora in body['amphorae']:
        _assert_types(amphora, AMPHORA_TYPES)
        for field in ('created_at', 'updated_at', 'cert_expiration'):
            assert TIMESTAMP.match(amphora[field]), (field, amphora[field])
