"""The simulator's listeners, pools and members, and the traffic faults,
without HTTP."""

import types

import pytest

from octavia_maint.simulator.core import faults as sim_faults
from octavia_maint.simulator.core import listing
from octavia_maint.simulator.octavia import exceptions
from octavia_maint.simulator.octavia import listeners
from octavia_maint.simulator.octavia import models
from octavia_maint.simulator.octavia import pagination

ADMIN = types.SimpleNamespace(is_admin=True, project_id='admin')
TENANT = types.SimpleNamespace(is_admin=False, project_id='p2')
EVERYTHING = listing.PageRequest(sort=(('id', False),))


def _lb(n, project_id='p1'):
    return models.LoadBalancer(
        id='lb-%d' % n, name='lb-%d' % n, project_id=project_id,
        topology=models.TOPOLOGY_SINGLE, vip_address='10.0.0.%d' % n,
        vip_port_id='port', vip_subnet_id='subnet-%d' % n,
        vip_network_id='net', created_at=1.7e9, updated_at=1.7e9)


@pytest.fixture
def store():
    return listeners.ListenerStore()


def test_seeded_children_hang_together(store):
    lb = _lb(1)
    store.seed(lb, 2, 1, 3)
    assert len(lb.listener_ids) == len(lb.pool_ids) == 2
    tree = store.status_tree(lb)
    assert [listener['id'] for listener in tree['listeners']] == list(
        lb.listener_ids)
    listener = store.get_listener(ADMIN, lb.listener_ids[0])
    pool = store.get_pool(ADMIN, listener.pool_ids[0])
    assert listener.to_dict()['default_pool_id'] == pool.id
    assert pool.to_dict()['listeners'] == [{'id': listener.id}]
    members = store.list_members(ADMIN, pool.id, {}, EVERYTHING)
    assert len(members) == 3
    assert {m.to_dict()['subnet_id'] for m in members} == {'subnet-1'}
    assert [m['id'] for m in tree['listeners'][0]['pools'][0]['members']] \
        == list(pool.member_ids)


def test_ids_depend_on_the_lb_only(store):
    first, again = listeners.ListenerStore(), listeners.ListenerStore()
    first.seed(_lb(1), 1, 1, 2)
    again.seed(_lb(1), 1, 1, 2)
    assert _lb(1).listener_ids == ()
    assert (first.status_tree(_lb(1)) == again.status_tree(_lb(1)))


def test_operating_status_is_the_lbs(store):
    lb = _lb(1)
    store.seed(lb, 1, 1, 1)
    for status in (models.ONLINE, models.ERROR, models.OFFLINE):
        lb.operating_status = status
        listener = store.get_listener(ADMIN, lb.listener_ids[0])
        assert listener.to_dict()['operating_status'] == status
        tree = store.status_tree(lb)
        (member,) = tree['listeners'][0]['pools'][0]['members']
        assert member['operating_status'] == status
        assert store.list_listeners(
            ADMIN, {'operating_status': [status]}, EVERYTHING) == [listener]


def test_filters_by_lb_and_project(store):
    mine, theirs = _lb(1), _lb(2, project_id='p2')
    store.seed(mine, 1, 1, 1)
    store.seed(theirs, 1, 1, 1)
    assert [p.lb for p in store.list_pools(
        ADMIN, {'loadbalancer_id': ['lb-2']}, EVERYTHING)] == [theirs]
    assert [p.lb for p in store.list_listeners(
        ADMIN, {'load_balancer_id': ['lb-1']}, EVERYTHING)] == [mine]
    assert [p.lb for p in store.list_listeners(
        TENANT, {}, EVERYTHING)] == [theirs]
    with pytest.raises(exceptions.PolicyForbidden):
        store.get_listener(TENANT, mine.listener_ids[0])


def test_pages_sort_by_any_field(store):
    for n in range(1, 5):
        store.seed(_lb(n), 1, 1, 1)
    request = pagination.LISTENERS.request(
        _Args(limit='3', sort='name:desc'))
    assert len(store.list_listeners(ADMIN, {}, request)) == 3


def test_forget_drops_everything_of_the_lb(store):
    lb = _lb(1)
    store.seed(lb, 1, 1, 2)
    pool_id = lb.pool_ids[0]
    store.forget(lb.id)
    for call in (lambda: store.get_listener(ADMIN, lb.listener_ids[0]),
                 lambda: store.list_members(ADMIN, pool_id, {}, EVERYTHING)):
        with pytest.raises(exceptions.NotFound):
            call()
    assert store.status_tree(lb)['listeners'] == []


def test_a_pool_without_monitor(store):
    lb = _lb(1)
    store.seed(lb, 1, 1, 1, health_monitors=False)
    pool = store.get_pool(ADMIN, lb.pool_ids[0])
    assert 'healthmonitor_id' not in pool.to_dict()
    (listener,) = store.status_tree(lb)['listeners']
    assert listener['pools'][0]['health_monitor'] is None
    assert listener['pools'][0]['members'][0]['operating_status'] == (
        'NO_MONITOR')
    lb.operating_status = models.ERROR
    assert store.list_members(ADMIN, pool.id, {}, EVERYTHING)[
        0].operating_status == models.ERROR


def test_member_of_another_pool_is_not_found(store):
    one, two = _lb(1), _lb(2)
    store.seed(one, 1, 1, 1)
    store.seed(two, 1, 1, 1)
    member = store.list_members(ADMIN, two.pool_ids[0], {}, EVERYTHING)[0]
    with pytest.raises(exceptions.NotFound):
        store.get_member(ADMIN, one.pool_ids[0], member.id)


class _Args(dict):
    """Enough of werkzeug's MultiDict for the paginator."""

    def getlist(self, name):
        return [self[name]] if name in self else []


@pytest.mark.parametrize('fraction,bad', [
    (1.0, list(range(1, 11))), (0.1, [10]), (0.25, [4, 8]),
    (0.5, [2, 4, 6, 8, 10]), (0.0, [])])
def test_bad_fraction_counts_boots(fraction, bad):
    faults = sim_faults.Faults(bad_image_ids={'img-bad'},
                               bad_fraction=fraction)
    assert [n for n in range(1, 11)
            if faults.breaks_traffic('img-bad', 'key', 'ca-1')] == bad


def test_only_what_is_marked_bad_breaks_and_counts():
    faults = sim_faults.Faults(bad_heartbeat_keys={'k2'}, bad_ca_ids={'ca-2'},
                               bad_fraction=0.5)
    assert not faults.breaks_traffic('img', 'k1', 'ca-1')
    assert not faults.breaks_traffic('img', 'k2', 'ca-1')
    assert faults.breaks_traffic('img', 'k1', 'ca-2')
    assert faults.to_dict()['bad_heartbeat_keys'] == ['***']
    assert faults.updated({'bad_fraction': 0.5}).breaks_traffic(
        'img', 'k2', None) is False  # the count restarts


def test_bad_fraction_is_bounded():
    with pytest.raises(ValueError):
        sim_faults.Faults(bad_fraction=1.5)
