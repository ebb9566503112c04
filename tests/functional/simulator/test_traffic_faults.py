"""Amphorae that boot ACTIVE but pass no traffic (bad image, heartbeat key
or CA), as the status tree and listener show report them."""

import pytest

from tests.fixtures import simulator as sim_fixture
from tests.functional.simulator import helpers


def _upload_amphora_image(conn, name):
    image = conn.image.create_image(
        name, data=name.encode(), tags=['amphora'], disk_format='qcow2',
        container_format='bare', allow_duplicates=True)
    return conn.image.get_image(image.id)


def _fail_over(conn, lb_id):
    conn.load_balancer.failover_load_balancer(lb_id)
    sim_fixture.wait_until(lambda: conn.load_balancer.get_load_balancer(
        lb_id).provisioning_status == 'ACTIVE')


def _serving(sim, conn, lb_id):
    """The operating statuses of the LB, its listener, pool and members,
    from the status tree; checked against listener and member show."""
    tree = helpers.call(
        sim, 'GET', '/load-balancer/v2/lbaas/loadbalancers/%s/status'
        % lb_id).json()['statuses']['loadbalancer']
    (listener,) = tree['listeners']
    (pool,) = listener['pools']
    shown = conn.load_balancer.get_listener(listener['id'])
    assert shown.operating_status == listener['operating_status']
    for member in pool['members']:
        assert conn.load_balancer.get_member(
            member['id'], pool['id']).operating_status == (
            member['operating_status'])
    return (tree['operating_status'], listener['operating_status'],
            pool['operating_status'],
            {m['operating_status'] for m in pool['members']})


ONLINE = ('ONLINE', 'ONLINE', 'ONLINE', {'ONLINE'})
ERROR = ('ERROR', 'ERROR', 'ERROR', {'ERROR'})


def test_bad_image_boots_active_without_traffic_until_a_good_one(sim, conn):
    lb_id = next(conn.load_balancer.load_balancers()).id
    bad = _upload_amphora_image(conn, 'amphora-bad')
    sim.set_faults(bad_image_ids=[bad.id])
    assert _serving(sim, conn, lb_id) == ONLINE
    _fail_over(conn, lb_id)
    assert {a.image_id for a in conn.load_balancer.amphorae(
        loadbalancer_id=lb_id)} == {bad.id}
    assert _serving(sim, conn, lb_id) == ERROR
    assert conn.load_balancer.get_load_balancer(lb_id).operating_status == (
        'ERROR')
    _upload_amphora_image(conn, 'amphora-good')
    _fail_over(conn, lb_id)
    assert _serving(sim, conn, lb_id) == ONLINE


def test_flaky_image_breaks_exactly_every_nth_failover(sim, conn):
    lb_ids = [lb.id for lb in conn.load_balancer.load_balancers()]
    flaky = _upload_amphora_image(conn, 'amphora-flaky')
    sim.set_faults(bad_image_ids=[flaky.id], bad_fraction=0.5)
    for lb_id in lb_ids:
        _fail_over(conn, lb_id)
    assert [_serving(sim, conn, lb_id)[1] for lb_id in lb_ids] == [
        'ONLINE', 'ERROR'] * (len(lb_ids) // 2)


def test_bad_heartbeat_key_breaks_configured_amphorae(sim, conn):
    faults = sim.set_faults(bad_heartbeat_keys=['new-key'])
    assert faults['bad_heartbeat_keys'] == ['***']
    sim.set_heartbeat(heartbeat_key='new-key', sighup_workers=True)
    lb_id = next(conn.load_balancer.load_balancers()).id
    (amphora, *_) = conn.load_balancer.amphorae(loadbalancer_id=lb_id)
    conn.load_balancer.configure_amphora(amphora.id)
    sim_fixture.wait_until(
        lambda: _serving(sim, conn, lb_id) == ERROR, timeout=5)


def test_bad_ca_breaks_amphorae_booted_after_it_is_deployed(sim, conn):
    lb_ids = [lb.id for lb in conn.load_balancer.load_balancers()][:2]
    sim.set_faults(bad_ca_ids=['ca-2'])
    _fail_over(conn, lb_ids[0])
    assert sim.set_ca('ca-2') == {'ca_id': 'ca-2'}
    _fail_over(conn, lb_ids[1])
    assert [_serving(sim, conn, lb_id) for lb_id in lb_ids] == [
        ONLINE, ERROR]
    with pytest.raises(sim_fixture.ControlError) as info:
        sim.control('PUT', 'certificates', {'ca': 'x'})
    assert info.value.status == 400
