"""The control plane: counters, audit, reset, time, transitions, fleet."""

import pytest

from tests.fixtures import simulator as sim_fixture


def test_stats_have_every_counter(sim):
    stats = sim.stats()

    assert {'failovers_by_lb', 'amphora_failovers_by_id',
            'peak_concurrent_failovers', 'concurrent_failovers',
            'automatic_failovers', 'requests_total'} <= set(stats)


def test_peak_concurrent_failovers(sim, conn):
    sim.set_transitions(failover={'seconds': 3600})
    lbs = list(conn.load_balancer.load_balancers())

    for lb in lbs:
        conn.load_balancer.failover_load_balancer(lb.id)
    during = sim.stats()
    sim.set_time(advance=3601)
    after = sim.stats()

    assert during['concurrent_failovers'] == len(lbs)
    assert after['peak_concurrent_failovers'] == len(lbs)
    assert after['concurrent_failovers'] == 0
    assert set(after['failovers_by_lb']) == {lb.id for lb in lbs}


def test_audit_pages_with_since(sim, conn):
    lb = next(iter(conn.load_balancer.load_balancers()))
    conn.load_balancer.failover_load_balancer(lb.id)
    first = sim.audit()

    later = sim.audit(since=first[-1]['seq'])

    assert first[-1]['target_id'] == lb.id
    assert not [e for e in first if '/auth/tokens' in e['path']]
    assert {'time', 'method', 'path', 'target_id', 'status'} <= set(first[-1])
    assert later == []


def test_reset_rebuilds_with_a_new_spec(sim, conn):
    result = sim.reset(load_balancers=3, active_standby_ratio=0)

    fleet = sim.fleet()
    assert fleet['load_balancers'] == 3 and fleet['amphorae'] == 3
    assert result['fleet']['users'][0]['password'] == '***'
    assert len(list(conn.load_balancer.load_balancers())) == 3
    with pytest.raises(sim_fixture.ControlError) as caught:
        sim.reset(colour='red')
    assert caught.value.status == 400


def test_time_scale_and_transitions(sim):
    before = sim.control('GET', 'time')['now']

    now = sim.set_time(scale=2, advance=100)
    transitions = sim.set_transitions(failover={'seconds': 5, 'jitter': 1})

    assert now['scale'] == 2.0 and now['now'] >= before + 100
    assert transitions['failover'] == {'seconds': 5.0, 'jitter': 1.0}
    with pytest.raises(sim_fixture.ControlError):
        sim.set_transitions(teleport={'seconds': 1})


def test_fleet_summary(sim):
    fleet = sim.fleet()

    assert fleet['load_balancers'] == 6
    assert fleet['load_balancers_by_status'] == {'ACTIVE': 6}
    assert fleet['amphorae'] == 9
    assert len(fleet['hosts']) == 4
    assert [i['name'] for i in fleet['images']][0] == (
        'amphora-x64-haproxy-old')
    assert 'password' not in str(fleet['heartbeat'])


def test_amphora_status_puts_it_in_error_and_back(sim, conn):
    amphora = next(iter(conn.load_balancer.amphorae()))

    sim.set_amphora_status(amphora.id, 'ERROR')
    in_error = conn.load_balancer.get_amphora(amphora.id)
    listed = [a.id for a in conn.load_balancer.amphorae(status='ERROR')]
    sim.set_amphora_status(amphora.id, 'ALLOCATED')

    assert in_error.status == 'ERROR' and listed == [amphora.id]
    assert sim.fleet()['amphorae_by_status'] == {'ALLOCATED': 9}
    # The load balancer is not touched: that is what a failover repairs.
    assert conn.load_balancer.get_load_balancer(
        amphora.loadbalancer_id).provisioning_status == 'ACTIVE'
    for body in ({'status': 'DELETED'}, {'role': 'MASTER'}, {}):
        with pytest.raises(sim_fixture.ControlError) as caught:
            sim.control('PUT', 'amphorae/%s' % amphora.id, body)
        assert caught.value.status == 400


def test_servers_of_another_octavia_are_registered(sim, conn):
    compute_id = 'c0ffee00-0000-4000-8000-000000000001'
    service_project = sim.fleet()['service_project_id']
    (registered,) = sim.register_servers([
        {'id': compute_id, 'host': 'compute-002',
         'name': 'amphora-a1b2c3d4-0000-4000-8000-000000000000'}])
    assert registered == {
        'id': compute_id, 'host': 'compute-002', 'project_id': service_project,
        'name': 'amphora-a1b2c3d4-0000-4000-8000-000000000000'}
    on_host = {s.id: s for s in conn.compute.servers(
        all_projects=True, compute_host='compute-002')}
    assert on_host[compute_id].project_id == service_project
    for servers in ([{'id': compute_id, 'host': 'compute-001'}],
                    [{'id': 'new', 'host': 'compute-001'},
                     {'id': 'other', 'host': 'compute-999'}],
                    [{'id': 'x'}]):
        with pytest.raises(sim_fixture.ControlError) as info:
            sim.register_servers(servers)
        assert info.value.status == 400
    assert conn.compute.find_server('new', ignore_missing=True) is None
