"""rotate-image's scope check before success (issue 9, item 5)."""

import pytest

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.tasks import fleet_tasks
from tests.unit.tasks import fakes

TARGET = {'id': 'img-new', 'name': 'amphora', 'active_since': None}


@pytest.fixture
def cloud():
    fake = fakes.FakeCloud()
    with fakes.in_job(fake):
        yield fake


def check(child_results, load_balancer_ids=()):
    return fleet_tasks.CheckScopeRotated().execute(
        TARGET, None, list(load_balancer_ids), False, child_results)


def result(target, outcome):
    return {'outcome': outcome, 'reason': 'why', 'target': target}


def test_converged_scope_passes_twice(cloud):
    cloud.add_lb('lb-1', image_id='img-new')
    cloud.add_lb('lb-err', status='ERROR')             # stated reason
    cloud.add_lb('lb-ovn', provider='ovn', amps=0)     # stated reason
    done = {'c1': result('lb-1', constants.OUTCOME_SUCCEEDED)}
    assert check(done) is None
    assert check(done) is None


def test_a_stale_load_balancer_fails_with_its_id(cloud):
    cloud.add_lb('lb-1', image_id='img-new')
    cloud.add_lb('lb-late')
    with pytest.raises(exceptions.ScopeNotConverged) as caught:
        check({'c1': result('lb-1', constants.OUTCOME_SUCCEEDED)})
    assert 'lb-late' in str(caught.value)
    assert 'lb-1' not in str(caught.value)


def test_a_load_balancer_its_child_skipped_is_excused(cloud):
    cloud.add_lb('lb-busy')
    assert check({'c1': result('lb-busy', constants.OUTCOME_SKIPPED)}) is None


def test_a_named_load_balancer_deleted_since_is_gone(cloud):
    cloud.add_lb('lb-1', image_id='img-new')
    assert check({}, load_balancer_ids=['lb-1', 'lb-gone']) is None


def test_the_plan_names_failover_stopped_amphorae_and_empty_ones(cloud):
    cloud.add_lb('lb-stopped')
    cloud.add_lb('lb-empty', amps=0)
    stopped = next(iter(cloud.amphorae.values()))
    stopped['status'] = constants.FAILOVER_STOPPED
    plan = {t['id']: t for t in fleet_tasks.SelectLoadBalancersToRotate(
    ).execute(TARGET, None, [], False)}
    assert plan['lb-stopped']['action'] == constants.PLAN_RUN
    assert ('%s are FAILOVER_STOPPED' % stopped['id']
            in plan['lb-stopped']['reason'])
    assert plan['lb-empty']['action'] == constants.PLAN_SKIP
    assert 'amphora load balancer without any' in plan['lb-empty']['reason']


OLD = '2026-01-01T00:00:00'
CUTOFF = '2026-06-01T00:00:00'
RECENT = '2026-11-01T00:00:00'


def test_older_than_selects_old_amphorae_on_the_current_image(cloud):
    cloud.add_lb('lb-old', image_id='img-new', created_at=OLD, amps=2)
    cloud.add_lb('lb-recent', image_id='img-new', created_at=RECENT)
    cloud.add_lb('lb-stale', image_id='img-old', created_at=RECENT)
    select = fleet_tasks.SelectLoadBalancersToRotate()
    plan = {t['id']: t for t in select.execute(TARGET, None, [], False,
                                               refresh_before=CUTOFF)}
    assert plan['lb-old']['action'] == 'run'
    assert plan['lb-old']['reason'] == (
        '0 of 2 amphorae stale, 2 created before %s' % CUTOFF)
    assert plan['lb-old']['topology'] == 'ACTIVE_STANDBY'
    assert plan['lb-old']['inputs'] == {'refresh_before': CUTOFF}
    assert plan['lb-recent']['action'] == 'skip'
    assert 'inputs' not in plan['lb-recent']
    assert plan['lb-stale']['action'] == 'run'
    # Without --older-than only the image counts.
    plan = {t['id']: t for t in select.execute(TARGET, None, [], False)}
    assert plan['lb-old']['action'] == 'skip'
    assert plan['lb-old']['topology'] == 'ACTIVE_STANDBY'
    assert 'inputs' not in plan['lb-stale']


def test_scope_check_with_older_than(cloud):
    cloud.add_lb('lb-old', image_id='img-new', created_at=OLD)
    with pytest.raises(exceptions.ScopeNotConverged):
        fleet_tasks.CheckScopeRotated().execute(
            TARGET, None, [], False, {}, refresh_before=CUTOFF)
    cloud.failover_created_at = RECENT
    cloud.failover_load_balancer('lb-old')
    cloud.complete_failover('lb-old')
    fleet_tasks.CheckScopeRotated().execute(TARGET, None, [], False, {},
                                            refresh_before=CUTOFF)
