"""rotate-image tasks: each execute is run twice, as after a crash."""

import pytest

from octavia_maint.common import exceptions
from octavia_maint.runtime import context
from octavia_maint.tasks import load_balancer_tasks as lbt
from tests.unit.tasks import fakes

TARGET = {'id': 'img-new', 'name': 'amphora', 'active_since': None}


@pytest.fixture
def cloud():
    fake = fakes.FakeCloud()
    with fakes.in_job(fake):
        yield fake


def snapshot(lb_id):
    return lbt.SnapshotLoadBalancer().execute(lb_id)


def failover(lb_id, snap, include_error=False):
    return lbt.FailoverLoadBalancer().execute(
        'campaign-1', lb_id, snap, TARGET, include_error)


def test_snapshot_records_amphorae_and_is_repeatable(cloud):
    cloud.add_lb('lb-1', amps=2)
    first = snapshot('lb-1')
    assert first == snapshot('lb-1')
    assert len(first['amphora_ids']) == 2
    assert not first['deleted']


def test_snapshot_of_deleted_lb(cloud):
    assert snapshot('gone')['deleted']


def test_failover_runs_once_even_when_executed_twice(cloud):
    cloud.add_lb('lb-1', amps=2)
    snap = snapshot('lb-1')
    assert failover('lb-1', snap)['action'] == 'failed_over'
    # A crash before the result was saved: the task runs again.
    assert failover('lb-1', snap)['action'] == 'failed_over'
    assert cloud.failovers == ['lb-1']


def test_failover_in_flight_after_crash_is_waited_for(cloud):
    cloud.add_lb('lb-1')
    snap = snapshot('lb-1')
    cloud.failover_load_balancer('lb-1')   # issued, then the conductor died
    assert failover('lb-1', snap)['action'] == 'failed_over'
    assert cloud.failovers == ['lb-1']


def test_failover_skips_current_error_and_deleted(cloud):
    cloud.add_lb('lb-current', image_id='img-new')
    cloud.add_lb('lb-error', status='ERROR')
    assert failover('lb-current', snapshot('lb-current'))['action'] == (
        'skipped')
    assert failover('lb-error', snapshot('lb-error'))['action'] == 'skipped'
    snap = snapshot('lb-current')
    del cloud.lbs['lb-current']
    assert failover('lb-current', snap)['action'] == 'skipped'
    assert cloud.failovers == []


def test_error_lb_is_failed_over_with_include_error(cloud):
    cloud.add_lb('lb-error', status='ERROR')
    result = failover('lb-error', snapshot('lb-error'), include_error=True)
    assert result['action'] == 'failed_over'


def test_failed_failover_feeds_the_breaker(cloud, config):
    config.config(max_failures=1, group='throttle')
    cloud.fail_lbs.add('lb-1')
    cloud.add_lb('lb-1')
    cloud.add_lb('lb-2')
    breaker = context.current().breaker('campaign-1', 1)
    with pytest.raises(exceptions.FailoverFailed):
        failover('lb-1', snapshot('lb-1'))
    assert breaker.failures == 1
    with pytest.raises(exceptions.CircuitOpen):
        failover('lb-2', snapshot('lb-2'))
    assert cloud.failovers == ['lb-1']


def test_verify_checks_every_amphora(cloud):
    cloud.add_lb('lb-1', amps=2)
    snap = snapshot('lb-1')
    outcome = failover('lb-1', snap)
    verify = lbt.VerifyLoadBalancerImage()
    assert verify.execute('lb-1', TARGET, outcome)['outcome'] == 'succeeded'
    assert verify.execute('lb-1', TARGET, outcome)['outcome'] == 'succeeded'
    cloud.add_lb('lb-2')
    with pytest.raises(exceptions.VerificationFailed):
        verify.execute('lb-2', TARGET, {'action': 'failed_over',
                                        'reason': ''})


def test_cancelled_job_stops_before_the_step(cloud):
    class Cancelled(context.JobContext):
        def check_active(self, fresh=False):
            raise exceptions.JobCancelled(job_id='job-1')

    with context.activate(Cancelled(cloud=cloud)):
        with pytest.raises(exceptions.JobCancelled):
            lbt.SnapshotLoadBalancer().pre_execute()


def test_deleted_during_its_failover_is_skipped_not_failed(cloud):
    cloud.add_lb('lb-1', amps=2)
    snap = snapshot('lb-1')
    cloud.deleted_during_failover.add('lb-1')
    outcome = failover('lb-1', snap)
    assert outcome == {'action': 'skipped',
                       'reason': 'load balancer deleted meanwhile'}
    assert cloud.failovers == ['lb-1']
    # Re-run after a crash: still skipped, nothing issued again.
    assert failover('lb-1', snap)['action'] == 'skipped'
    assert cloud.failovers == ['lb-1']


def test_deleted_before_verify_is_skipped(cloud):
    cloud.add_lb('lb-1')
    snap = snapshot('lb-1')
    done = failover('lb-1', snap)
    cloud.delete_lb('lb-1')
    result = lbt.VerifyLoadBalancerImage().execute('lb-1', TARGET, done)
    assert result == {'lb_id': 'lb-1', 'outcome': 'skipped',
                      'reason': 'load balancer deleted meanwhile'}


def test_the_quiet_period_is_learnt_through_the_job_context(cloud):
    delays = []
    wait = cloud.wait_for_load_balancer

    def recording_wait(lb_id, delay=0.0, **kwargs):
        delays.append(delay)
        return wait(lb_id, **kwargs)

    cloud.wait_for_load_balancer = recording_wait
    context.current().failover_durations.record(10.0)
    cloud.add_lb('lb-1')
    assert failover('lb-1', snapshot('lb-1'))['action'] == 'failed_over'
    assert delays == [pytest.approx(8.0)]
