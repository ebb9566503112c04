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
