"""FencedFailover's loop: decide, fence, issue once, wait, count.

``decide`` and ``issue`` are scripted; the cloud facade is the task
fake, the throttle and breaker are the local ones.
"""

import pytest

from octavia_maint.common import exceptions
from octavia_maint.runtime import context
from octavia_maint.runtime import throttle
from octavia_maint.tasks import failover
from tests.unit.tasks import fakes

LB = 'lb-1'
CAMPAIGN = 'campaign-1'
F, W, D, S = failover.FAILOVER, failover.WAIT, failover.DONE, failover.SKIP


class Script:
    """``decide``: answers the given decisions in turn, then the last."""

    def __init__(self, *decisions):
        self.decisions = list(decisions)
        self.asked = 0

    def __call__(self):
        decision = self.decisions[min(self.asked, len(self.decisions) - 1)]
        self.asked += 1
        return decision, 'because %s' % decision


class Issue:
    """``issue``: raises the given errors in turn, then fails over."""

    def __init__(self, cloud, *errors):
        self.cloud = cloud
        self.errors = list(errors)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        self.cloud.failover_load_balancer(LB)


class NoSlots(throttle.LocalThrottle):
    def slot(self):
        raise AssertionError('a finished target took a throttle slot')


class Clock:
    """``failover.time``, moved on by hand."""

    def __init__(self):
        self.now = 0.0

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


@pytest.fixture
def cloud(config):
    config.config(status_poll_interval=0.01, group='cloud')
    config.config(max_failures=2, failover_timeout=60, group='throttle')
    fake = fakes.FakeCloud()
    fake.add_lb(LB)
    return fake


def run(cloud, decide, issue, job=None):
    job = job or context.JobContext(job_id='job-1', cloud=cloud)
    return failover.FencedFailover(job, cloud, CAMPAIGN, LB).run(decide,
                                                                 issue)


def busy():
    return exceptions.Conflict(resource='Load balancer', id=LB,
                               reason='immutable')


def gone():
    return exceptions.NotFound(resource='Load balancer', id=LB)


@pytest.mark.parametrize('decisions, errors, outcome, issued, asked', [
    # Nothing to do: decided before a slot is taken.
    ([S], [], S, 0, 1),
    ([D], [], D, 0, 1),
    # The common case: decided twice (outside, then inside the slot).
    ([F], [], F, 1, 2),
    # The fence: done by the time the slot is ours (a crashed run's).
    ([F, D], [], D, 0, 2),
    # Busy (our own failover in flight since a crash): wait, decide again.
    ([F, W, D], [], D, 0, 3),
    ([F, W, F], [], F, 1, 3),
    # 409 from Octavia: wait, decide again, issue again.
    ([F], [busy()], F, 2, 3),
    # 404 from Octavia: the next decision sees it gone.
    ([F, F, S], [gone()], S, 1, 3),
])
def test_the_loop(cloud, decisions, errors, outcome, issued, asked):
    decide, issue = Script(*decisions), Issue(cloud, *errors)
    job = None
    if decisions[0] in failover.FINISHED:
        job = context.JobContext(job_id='job-1', cloud=cloud,
                                 failover_throttle=NoSlots())
    assert run(cloud, decide, issue, job)[0] == outcome
    assert issue.calls == issued
    assert decide.asked == asked
    assert cloud.failovers == [LB] * (outcome == F)


@pytest.mark.parametrize('decisions, outcome, issued', [
    ([F], F, 1), ([S], S, 0), ([W, D], D, 0)])
def test_without_a_look_first_the_slot_holds_the_only_look(
        cloud, decisions, outcome, issued):
    """A caller that just read the target (its snapshot) decides once
    fewer: every look is in the slot, the fence (issue 13)."""
    decide, issue = Script(*decisions), Issue(cloud)
    job = context.JobContext(job_id='job-1', cloud=cloud)
    assert failover.FencedFailover(job, cloud, CAMPAIGN, LB).run(
        decide, issue, look_first=False)[0] == outcome
    assert issue.calls == issued
    assert decide.asked == len(decisions)


def test_busy_for_longer_than_the_failover_timeout_fails(cloud, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(failover, 'time', clock)

    def still_busy():
        clock.now += 25
        raise busy()
    with pytest.raises(exceptions.FailoverFailed, match='409'):
        run(cloud, Script(F), still_busy)


def test_an_open_breaker_issues_nothing(cloud):
    job = context.JobContext(job_id='job-1', cloud=cloud)
    for _ in range(2):
        job.breaker(CAMPAIGN, 2).record_failure()
    issue = Issue(cloud)
    with pytest.raises(exceptions.CircuitOpen):
        run(cloud, Script(F), issue, job)
    assert issue.calls == 0


def test_a_failover_ending_in_error_feeds_the_breaker(cloud):
    cloud.fail_lbs.add(LB)
    job = context.JobContext(job_id='job-1', cloud=cloud)
    with pytest.raises(exceptions.FailoverFailed):
        run(cloud, Script(F), Issue(cloud), job)
    assert job.breaker(CAMPAIGN, 2).failures == 1


def test_deleted_while_failing_over_is_skipped(cloud):
    cloud.deleted_during_failover.add(LB)
    assert run(cloud, Script(F), Issue(cloud)) == (
        S, failover.DELETED_MEANWHILE)


def test_a_cancel_at_the_last_fence_issues_nothing(cloud):
    class Cancelled(context.JobContext):
        def check_active(self, fresh=False):
            raise exceptions.JobCancelled(job_id='job-1')

    issue = Issue(cloud)
    with pytest.raises(exceptions.JobCancelled):
        run(cloud, Script(F), issue, Cancelled(job_id='job-1', cloud=cloud))
    assert issue.calls == 0


class History:
    def __init__(self):
        self.recorded = []

    def record(self, topology, seconds, campaign_id=None):
        self.recorded.append((topology, campaign_id))


@pytest.mark.parametrize('whole, recorded', [
    (True, [('SINGLE', CAMPAIGN)]),
    # One amphora of a pair is no load balancer failover: estimates of
    # those would be skewed by it.
    (False, []),
])
def test_only_load_balancer_failovers_enter_the_history(cloud, whole,
                                                        recorded):
    job = context.JobContext(job_id='job-1', cloud=cloud,
                             failover_history=History())
    fenced = failover.FencedFailover(job, cloud, CAMPAIGN, LB)
    assert fenced.run(Script(F), Issue(cloud), whole=whole)[0] == F
    assert job.failover_history.recorded == recorded
