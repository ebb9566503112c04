"""Load balancer calls of the facade, through openstacksdk, over HTTP."""

import json

import pytest

from octavia_maint.cloud import load_balancers
from octavia_maint.common import exceptions
from tests.functional.cloud import conftest

MISSING = '00000000-0000-4000-8000-000000000000'


def failover_calls(sim):
    return [(entry['target_id'], entry['status']) for entry in sim.audit()
            if entry['path'].endswith('/failover')]


def test_listing_follows_every_page(sim, cloud):
    before = sim.stats()['requests_total']
    lbs = cloud.list_load_balancers()
    pages = sim.stats()['requests_total'] - before
    assert len(lbs) == conftest.BASE_FLEET['load_balancers']
    assert len({lb['id'] for lb in lbs}) == len(lbs)
    assert pages >= 3
    assert [list(lb) for lb in lbs] == [list(load_balancers.FIELDS)] * 7
    assert json.loads(json.dumps(lbs)) == lbs


def test_listing_filters(sim, cloud):
    project_id = cloud.list_load_balancers()[0]['project_id']
    mine = cloud.list_load_balancers(project_id=project_id)
    assert len(mine) == 4  # 7 LBs over 2 projects: more than a page
    assert {lb['project_id'] for lb in mine} == {project_id}
    active = cloud.list_load_balancers(provisioning_status='ACTIVE')
    assert len(active) == 7
    assert cloud.list_load_balancers(provisioning_status='ERROR') == []


def test_get(sim, cloud):
    lb = cloud.list_load_balancers()[0]
    assert cloud.get_load_balancer(lb['id']) == lb


def test_get_missing(sim, cloud):
    with pytest.raises(exceptions.NotFound) as info:
        cloud.get_load_balancer(MISSING)
    assert info.value.kwargs == {'resource': 'Load balancer',
                                 'id': MISSING}


def test_failover_conflict_and_wait(sim, cloud):
    sim.set_transitions(failover={'seconds': 20})  # 1 s real
    lb_id = cloud.list_load_balancers()[0]['id']
    assert cloud.failover_load_balancer(lb_id) is None
    assert (cloud.get_load_balancer(lb_id)['provisioning_status']
            == 'PENDING_UPDATE')
    with pytest.raises(exceptions.Conflict) as info:
        cloud.failover_load_balancer(lb_id)
    assert 'PENDING_UPDATE' in info.value.kwargs['reason']
    done = cloud.wait_for_load_balancer(lb_id, status='ACTIVE')
    assert done['provisioning_status'] == 'ACTIVE'
    assert failover_calls(sim) == [(lb_id, 202), (lb_id, 409)]


def test_failover_missing(sim, cloud):
    with pytest.raises(exceptions.NotFound):
        cloud.failover_load_balancer(MISSING)


def test_wait_sees_error(sim, cloud):
    lb_id = cloud.list_load_balancers()[0]['id']
    sim.set_faults(failover_error_lb_ids=[lb_id])
    cloud.failover_load_balancer(lb_id)
    with pytest.raises(exceptions.ResourceInError) as info:
        cloud.wait_for_load_balancer(lb_id)
    assert info.value.kwargs['current'] == 'ERROR'
    # Octavia accepts a failover of an ERROR load balancer: its repair.
    assert cloud.wait_for_load_balancer(lb_id, status='ERROR')
    sim.set_faults(failover_error_lb_ids=[])
    cloud.failover_load_balancer(lb_id)
    assert cloud.wait_for_load_balancer(lb_id)['provisioning_status'] == (
        'ACTIVE')


def test_wait_times_out(sim, cloud):
    sim.set_transitions(failover={'seconds': 100000})
    lb_id = cloud.list_load_balancers()[0]['id']
    cloud.failover_load_balancer(lb_id)
    with pytest.raises(exceptions.CloudTimeout) as info:
        cloud.wait_for_load_balancer(lb_id, timeout=0.2, interval=0.05)
    assert info.value.kwargs['current'] == 'PENDING_UPDATE'


def test_wait_for_missing(sim, cloud):
    with pytest.raises(exceptions.NotFound):
        cloud.wait_for_load_balancer(MISSING)


def test_unknown_filter_is_bad_request(sim, cloud):
    # openstacksdk alone would drop it and list every load balancer.
    with pytest.raises(exceptions.BadRequest):
        cloud.list_load_balancers(projet_id='typo')


def test_status_tree(sim, cloud):
    lb = cloud.list_load_balancers()[0]
    tree = cloud.get_load_balancer_status_tree(lb['id'])
    assert (tree['id'], tree['operating_status'],
            tree['provisioning_status']) == (lb['id'], 'ONLINE', 'ACTIVE')
    (listener,) = tree['listeners']
    (pool,) = listener['pools']
    assert [m['operating_status'] for m in pool['members']] == ['ONLINE'] * 2
    assert json.loads(json.dumps(tree)) == tree


def test_status_tree_missing(sim, cloud):
    with pytest.raises(exceptions.NotFound) as info:
        cloud.get_load_balancer_status_tree(MISSING)
    assert info.value.kwargs == {'resource': 'Load balancer',
                                 'id': MISSING}
