"""Amphora calls of the facade, through openstacksdk, over HTTP."""

import json

import pytest

from octavia_maint.cloud import amphorae
from octavia_maint.common import exceptions

MISSING = '00000000-0000-4000-8000-000000000000'


def active_standby_pair(cloud):
    """The two amphorae of an ACTIVE_STANDBY load balancer."""
    by_lb = {}
    for amp in cloud.list_amphorae():
        by_lb.setdefault(amp['loadbalancer_id'], []).append(amp)
    return next(amps for amps in by_lb.values() if len(amps) == 2)


def test_listing_follows_every_page(sim, cloud):
    amps = cloud.list_amphorae()
    # 7 LBs, 2 of them ACTIVE_STANDBY: 9 amphorae, three pages.
    assert len({amp['id'] for amp in amps}) == len(amps) == 9
    assert [list(amp) for amp in amps] == [list(amphorae.FIELDS)] * 9
    assert json.loads(json.dumps(amps)) == amps
    assert all(amp['cert_busy'] is False for amp in amps)


def test_listing_filters(sim, cloud):
    pair = active_standby_pair(cloud)
    lb_id = pair[0]['loadbalancer_id']
    assert sorted(cloud.list_amphorae(loadbalancer_id=lb_id),
                  key=lambda amp: amp['id']) == sorted(
                      pair, key=lambda amp: amp['id'])
    masters = cloud.list_amphorae(loadbalancer_id=lb_id, role='MASTER')
    assert [amp['role'] for amp in masters] == ['MASTER']
    image_id = pair[0]['image_id']
    assert len(cloud.list_amphorae(image_id=image_id)) == 9


def test_unknown_filter_is_bad_request(sim, cloud):
    with pytest.raises(exceptions.BadRequest) as info:
        cloud.list_amphorae(colour='red')
    assert 'colour' in str(info.value)


def test_get(sim, cloud):
    amp = cloud.list_amphorae()[0]
    assert cloud.get_amphora(amp['id']) == amp
    with pytest.raises(exceptions.NotFound) as info:
        cloud.get_amphora(MISSING)
    assert info.value.kwargs == {'resource': 'Amphora', 'id': MISSING}


def test_failover_needs_an_active_load_balancer(sim, cloud):
    sim.set_transitions(failover={'seconds': 20})  # 1 s real
    first, second = active_standby_pair(cloud)
    lb_id = first['loadbalancer_id']
    assert cloud.failover_amphora(first['id']) is None
    assert (cloud.get_load_balancer(lb_id)['provisioning_status']
            == 'PENDING_UPDATE')
    with pytest.raises(exceptions.Conflict) as info:
        cloud.failover_amphora(second['id'])
    assert info.value.kwargs['id'] == second['id']
    cloud.wait_for_load_balancer(lb_id)
    remaining = {amp['id'] for amp in cloud.list_amphorae(
        loadbalancer_id=lb_id)}
    assert first['id'] not in remaining
    assert second['id'] in remaining
    with pytest.raises(exceptions.NotFound):
        cloud.failover_amphora(MISSING)


def test_configure(sim, cloud):
    amp = cloud.list_amphorae()[0]
    assert cloud.configure_amphora(amp['id']) is None
    configured = [entry for entry in sim.audit()
                  if entry['path'].endswith('/config')]
    assert [(e['method'], e['target_id'], e['status'])
            for e in configured] == [('PUT', amp['id'], 202)]
    with pytest.raises(exceptions.NotFound):
        cloud.configure_amphora(MISSING)
