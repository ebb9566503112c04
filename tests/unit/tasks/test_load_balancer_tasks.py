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
    assert delays == [pytest.approx(9.5)]


class History:
    """The job's failover history: what the task recorded."""

    def __init__(self):
        self.recorded = []

    def record(self, topology, seconds, campaign_id=None):
        self.recorded.append((topology, campaign_id))


class Phases(context.JobContext):
    """A job context keeping what the task said of the throttle."""

    def __init__(self, cloud):
        super().__init__(job_id='job-1', cloud=cloud,
                         failover_history=History())
        self.phases = []

    def record(self, **fields):
        # Other fields (the data-plane check's wait) are no phase.
        if 'failover_phase' in fields:
            phase = fields['failover_phase']
            self.phases.append(phase and phase['phase'])


def test_an_issued_failover_goes_to_the_history_with_its_topology(cloud):
    job = Phases(cloud)
    cloud.add_lb('lb-pair', amps=2)
    cloud.add_lb('lb-single')
    cloud.add_lb('lb-in-flight')
    snaps = {lb: snapshot(lb) for lb in cloud.lbs}
    cloud.failover_load_balancer('lb-in-flight')   # before a crash
    with context.activate(job):
        for lb in snaps:
            assert failover(lb, snaps[lb])['action'] == 'failed_over'
    # One found in flight was not timed from its start: not recorded.
    assert job.failover_history.recorded == [
        ('ACTIVE_STANDBY', 'campaign-1'), ('SINGLE', 'campaign-1')]


def test_a_target_says_when_it_waits_for_a_slot_and_when_it_fails_over(
        cloud):
    job = Phases(cloud)
    cloud.add_lb('lb-1')
    with context.activate(job):
        failover('lb-1', snapshot('lb-1'))
    assert job.phases == ['waiting for a throttle slot', 'failing over']
    # Nothing to fail over once the slot is ours: no phase is left. (The
    # snapshot looked just before, so the one look is in the slot.)
    cloud.add_lb('lb-2', image_id='img-new')
    job.phases = []
    with context.activate(job):
        failover('lb-2', snapshot('lb-2'))
    assert job.phases == ['waiting for a throttle slot', None]


OLD = '2026-01-01T00:00:00'
CUTOFF = '2026-06-01T00:00:00'
RECENT = '2026-11-01T00:00:00'


def test_older_than_fails_over_an_old_amphora_on_the_current_image(cloud):
    cloud.add_lb('lb-old', image_id='img-new', created_at=OLD)
    cloud.add_lb('lb-recent', image_id='img-new', created_at=RECENT)
    cloud.failover_created_at = RECENT
    snaps = {lb: snapshot(lb) for lb in cloud.lbs}

    def rotate(lb):
        return lbt.FailoverLoadBalancer().execute(
            'campaign-1', lb, snaps[lb], TARGET, False, refresh_before=CUTOFF)

    assert rotate('lb-old')['action'] == 'failed_over'
    # Run again after a crash: the fence sees the replaced amphorae.
    assert rotate('lb-old')['action'] == 'failed_over'
    assert rotate('lb-recent') == {
        'action': 'skipped', 'reason': 'already on image img-new, no '
        'amphora created before %s' % CUTOFF}
    assert cloud.failovers == ['lb-old']
    done = {'action': 'failed_over', 'reason': 'stale amphorae'}
    verified = lbt.VerifyLoadBalancerImage().execute(
        'lb-old', TARGET, done, refresh_before=CUTOFF)
    assert verified['outcome'] == 'succeeded'


def test_verify_refuses_an_amphora_older_than_the_cutoff(cloud):
    cloud.add_lb('lb-old', image_id='img-new', created_at=OLD)
    done = {'action': 'failed_over', 'reason': 'stale amphorae'}
    with pytest.raises(exceptions.VerificationFailed):
        lbt.VerifyLoadBalancerImage().execute('lb-old', TARGET, done,
                                              refresh_before=CUTOFF)
    # Without --older-than the same amphora is current.
    assert lbt.VerifyLoadBalancerImage().execute(
        'lb-old', TARGET, done)['outcome'] == 'succeeded'
