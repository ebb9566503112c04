"""Fault injection: 503s in each service's format, failovers in ERROR or
answering 409."""

import openstack.exceptions
import pytest

from tests.functional.simulator import helpers


def test_injected_503s_use_the_service_error_format(sim, conn):
    sim.set_faults(error_rate=1.0, error_services=['load-balancer',
                                                   'compute'])

    octavia = helpers.call(sim, 'GET', '/load-balancer/v2/lbaas/'
                                       'loadbalancers')
    nova = helpers.call(sim, 'GET', '/compute/v2.1/servers/detail')
    glance = helpers.call(sim, 'GET', '/image/v2/images')
    with pytest.raises(openstack.exceptions.HttpException) as caught:
        list(conn.load_balancer.load_balancers())

    assert octavia.status_code == 503
    assert octavia.json()['faultcode'] == 'Server'
    assert nova.status_code == 503
    assert nova.json()['serviceUnavailable']['code'] == 503
    assert glance.status_code == 200
    assert caught.value.status_code == 503
    assert sim.stats()['injected_errors'] == 3


def test_injected_503_on_a_mutating_call_is_audited(sim, conn):
    lb = next(iter(conn.load_balancer.load_balancers()))
    sim.set_faults(error_rate=1.0)

    response = helpers.call(
        sim, 'PUT', '/load-balancer/v2/lbaas/loadbalancers/%s/failover'
        % lb.id)

    assert response.status_code == 503
    assert sim.audit()[-1]['status'] == 503
    assert sim.stats()['failovers_by_lb'] == {}


def test_the_next_gets_of_one_lb_answer_503(sim, conn):
    lbs = list(conn.load_balancer.load_balancers())
    down, other = lbs[0], lbs[1]
    sim.set_faults(unavailable_lb_gets={down.id: 2})
    path = '/load-balancer/v2/lbaas/loadbalancers/%s'

    codes = [helpers.call(sim, 'GET', path % down.id).status_code
             for _ in range(3)]
    other_code = helpers.call(sim, 'GET', path % other.id).status_code
    listing = helpers.call(sim, 'GET', '/load-balancer/v2/lbaas/'
                                       'loadbalancers')

    assert codes == [503, 503, 200]
    assert other_code == 200 and listing.status_code == 200
    assert sim.stats()['injected_errors'] == 2
    assert sim.control('GET', 'faults')['unavailable_lb_gets'] == {
        down.id: 0}


def test_failover_of_a_listed_lb_ends_in_error(sim, conn):
    lbs = list(conn.load_balancer.load_balancers())
    doomed, fine = lbs[0], lbs[1]
    sim.set_faults(failover_error_lb_ids=[doomed.id])

    for lb in (doomed, fine):
        conn.load_balancer.failover_load_balancer(lb.id)
    with pytest.raises(openstack.exceptions.ResourceFailure):
        conn.load_balancer.wait_for_load_balancer(doomed.id, interval=0.05,
                                                  wait=30)
    conn.load_balancer.wait_for_load_balancer(fine.id, interval=0.05,
                                              wait=30)

    amphorae = list(conn.load_balancer.amphorae(loadbalancer_id=doomed.id))
    assert {a.status for a in amphorae} == {'ERROR'}
    stats = sim.stats()
    assert stats['failed_failovers'] == 1
    assert stats['completed_failovers'] == 1
    # An ERROR LB can be failed over again once the fault is gone.
    sim.set_faults(failover_error_lb_ids=[])
    conn.load_balancer.failover_load_balancer(doomed.id)
    conn.load_balancer.wait_for_load_balancer(doomed.id, interval=0.05,
                                              wait=30)


def test_failover_of_a_listed_lb_answers_409(sim, conn):
    lb = next(iter(conn.load_balancer.load_balancers()))
    sim.set_faults(failover_conflict_lb_ids=[lb.id])

    with pytest.raises(openstack.exceptions.ConflictException):
        conn.load_balancer.failover_load_balancer(lb.id)

    assert conn.load_balancer.get_load_balancer(
        lb.id).provisioning_status == 'ACTIVE'
    assert sim.stats()['failovers_by_lb'] == {}
    sim.set_faults(failover_conflict_lb_ids=[])
    conn.load_balancer.failover_load_balancer(lb.id)
    conn.load_balancer.wait_for_load_balancer(lb.id, interval=0.05, wait=30)


def test_failover_error_probability(sim, conn):
    sim.set_faults(failover_error_rate=1.0)
    lb = next(iter(conn.load_balancer.load_balancers()))

    conn.load_balancer.failover_load_balancer(lb.id)

    with pytest.raises(openstack.exceptions.ResourceFailure):
        conn.load_balancer.wait_for_load_balancer(lb.id, interval=0.05,
                                                  wait=30)


def test_no_tagged_image_means_error(sim, conn):
    old = next(iter(conn.image.images(tag='amphora')))
    conn.image.remove_tag(old, 'amphora')
    lb = next(iter(conn.load_balancer.load_balancers()))

    conn.load_balancer.failover_load_balancer(lb.id)

    with pytest.raises(openstack.exceptions.ResourceFailure):
        conn.load_balancer.wait_for_load_balancer(lb.id, interval=0.05,
                                                  wait=30)


def test_fault_settings_are_validated(sim):
    with pytest.raises(Exception, match='400'):
        sim.set_faults(error_rate=2)
    with pytest.raises(Exception, match='unknown fault'):
        sim.set_faults(colour='red')
    with pytest.raises(Exception, match='400'):
        sim.set_faults(unavailable_lb_gets={'lb': -1})
    assert sim.set_faults(latency_ms=5)['latency_ms'] == 5.0
