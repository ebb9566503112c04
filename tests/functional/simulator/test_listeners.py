"""Listeners, pools, health monitors, members and the status tree,
through openstacksdk."""

import openstack.exceptions
import pytest

from tests.functional.simulator import helpers

MISSING = '00000000-0000-4000-8000-000000000000'


def test_every_lb_serves_one_listener_pool_and_two_members(sim, conn):
    lbs = list(conn.load_balancer.load_balancers())
    listeners = list(conn.load_balancer.listeners())
    pools = list(conn.load_balancer.pools())
    assert len(listeners) == len(pools) == len(lbs)
    assert {lb.id for lb in lbs} == {
        listener.load_balancers[0]['id'] for listener in listeners}
    for pool in pools:
        members = list(conn.load_balancer.members(pool.id))
        assert len(members) == 2
        assert {m.operating_status for m in members} == {'ONLINE'}
    listener = conn.load_balancer.get_listener(listeners[0].id)
    assert (listener.operating_status, listener.provisioning_status,
            listener.protocol, listener.protocol_port) == (
        'ONLINE', 'ACTIVE', 'HTTP', 80)
    assert listener.default_pool_id in {pool.id for pool in pools}
    lb = conn.load_balancer.get_load_balancer(
        listener.load_balancers[0]['id'])
    assert lb.listeners == [{'id': listener.id}]
    assert lb.pools == [{'id': listener.default_pool_id}]


def test_filters_and_pages(sim, conn):
    lb = next(conn.load_balancer.load_balancers())
    mine = list(conn.load_balancer.listeners(load_balancer_id=lb.id))
    assert [listener.load_balancers for listener in mine] == [
        [{'id': lb.id}]]
    pools = list(conn.load_balancer.pools(loadbalancer_id=lb.id))
    assert [pool.listeners for pool in pools] == [[{'id': mine[0].id}]]
    body = helpers.call(sim, 'GET', '/load-balancer/v2/lbaas/listeners',
                        params={'limit': 2}).json()
    assert len(body['listeners']) == 2
    assert [link['rel'] for link in body['listeners_links']] == ['next']
    paged = list(conn.load_balancer.listeners(limit=2))
    assert len(paged) == len(list(conn.load_balancer.listeners()))
    response = helpers.call(sim, 'GET', '/load-balancer/v2/lbaas/pools',
                            params={'vip_address': 'x'})
    assert response.status_code == 400


def test_status_tree(sim, conn):
    lb = next(conn.load_balancer.load_balancers())
    response = helpers.call(
        sim, 'GET', '/load-balancer/v2/lbaas/loadbalancers/%s/status' % lb.id)
    assert response.status_code == 200
    tree = response.json()['statuses']['loadbalancer']
    assert list(tree) == ['id', 'name', 'operating_status',
                          'provisioning_status', 'listeners']
    (listener,) = tree['listeners']
    assert set(listener) == {'id', 'name', 'operating_status',
                             'provisioning_status', 'pools'}
    (pool,) = listener['pools']
    assert set(pool) == {'id', 'name', 'operating_status',
                         'provisioning_status', 'health_monitor', 'members'}
    assert set(pool['health_monitor']) == {
        'id', 'name', 'type', 'operating_status', 'provisioning_status'}
    assert {(m['operating_status'], m['protocol_port'])
            for m in pool['members']} == {('ONLINE', 8080)}
    monitor = conn.load_balancer.get_health_monitor(
        pool['health_monitor']['id'])
    assert (monitor.pools, monitor.operating_status, monitor.type) == (
        [{'id': pool['id']}], 'ONLINE', 'HTTP')
    assert conn.load_balancer.get_pool(pool['id']).health_monitor_id == (
        monitor.id)
    missing = helpers.call(
        sim, 'GET', '/load-balancer/v2/lbaas/loadbalancers/%s/status'
        % MISSING)
    assert missing.status_code == 404


def test_missing_children_are_404(sim, conn):
    pool = next(conn.load_balancer.pools())
    for call in (lambda: conn.load_balancer.get_listener(MISSING),
                 lambda: conn.load_balancer.get_pool(MISSING),
                 lambda: conn.load_balancer.get_health_monitor(MISSING),
                 lambda: conn.load_balancer.get_member(MISSING, pool.id),
                 lambda: list(conn.load_balancer.members(MISSING))):
        with pytest.raises(openstack.exceptions.NotFoundException):
            call()


def test_fleet_options_size_the_children(sim, conn):
    sim.reset(listeners_per_lb=2, pools_per_listener=1, members_per_pool=3)
    lb = next(conn.load_balancer.load_balancers())
    listeners = list(conn.load_balancer.listeners(load_balancer_id=lb.id))
    assert sorted(listener.protocol_port for listener in listeners) == [
        80, 81]
    pool_id = listeners[0].default_pool_id
    assert len(list(conn.load_balancer.members(pool_id))) == 3
    sim.reset(health_monitors=False)
    lb = next(conn.load_balancer.load_balancers())
    tree = helpers.call(
        sim, 'GET', '/load-balancer/v2/lbaas/loadbalancers/%s/status'
        % lb.id).json()['statuses']['loadbalancer']
    (pool,) = tree['listeners'][0]['pools']
    assert pool['health_monitor'] is None
    assert {m['operating_status'] for m in pool['members']} == {
        'NO_MONITOR'}
    assert list(conn.load_balancer.health_monitors()) == []
    sim.reset(listeners_per_lb=0)
    assert list(conn.load_balancer.listeners()) == []
