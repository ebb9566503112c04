"""The data-plane check: what "at least as healthy" means, and the settle
after a failover (on the task fake, with the local throttle and breaker).
"""

import pytest

from octavia_maint.common import exceptions
from octavia_maint.runtime import context
from octavia_maint.runtime import throttle
from octavia_maint.tasks import failover
from octavia_maint.tasks import load_balancer_tasks as lbt
from octavia_maint.tasks import traffic
from tests.unit.tasks import fakes

TARGET = {'id': 'img-new', 'name': 'amphora', 'active_since': None}


def tree(lb='ONLINE', listener='ONLINE', pool='ONLINE', members=('ONLINE',),
         extra_listener=None):
    """A status tree: one listener, one pool, its members."""
    listeners = [{'id': 'l1', 'name': 'http', 'operating_status': listener,
                  'pools': [{'id': 'p1', 'name': 'web',
                             'operating_status': pool,
                             'members': [{'id': 'm%d' % i, 'name': '',
                                          'operating_status': status}
                                         for i, status in enumerate(
                                             members)]}]}]
    if extra_listener:
        listeners.append({'id': 'l2', 'name': '', 'pools': [],
                          'operating_status': extra_listener})
    return {'id': 'lb-1', 'operating_status': lb, 'listeners': listeners}


@pytest.mark.parametrize('before, after, expected', [
    # The same, or better: nothing to say.
    (tree(), tree(), []),
    (tree(pool='DEGRADED', members=('ONLINE', 'ERROR')), tree(), []),
    (tree(listener='ERROR', lb='ERROR'), tree(), []),
    # Did not serve before: held to nothing.
    (tree(listener='OFFLINE', lb='OFFLINE'),
     tree(listener='ERROR', lb='ERROR'), []),
    (tree(members=('ERROR',)), tree(members=('OFFLINE',)), []),
    # NO_MONITOR serves (no health monitor says otherwise).
    (tree(pool='NO_MONITOR', members=('NO_MONITOR',)), tree(), []),
    (tree(), tree(pool='NO_MONITOR', members=('NO_MONITOR',)), []),
    # Served, and no more.
    (tree(), tree(lb='ERROR', listener='ERROR', pool='ERROR',
                  members=('ERROR',)),
     ['listener http went from ONLINE to ERROR',
      'pool web went from ONLINE to ERROR',
      'member m0 of pool web went from ONLINE to ERROR']),
    (tree(members=('ONLINE', 'ONLINE')), tree(members=('ONLINE', 'OFFLINE')),
     ['member m1 of pool web went from ONLINE to OFFLINE']),
    # Serving partly is less than serving; DEGRADED must not get worse.
    (tree(), tree(pool='DEGRADED'), ['pool web went from ONLINE to DEGRADED']),
    (tree(pool='DEGRADED'), tree(pool='ERROR'),
     ['pool web went from DEGRADED to ERROR']),
    (tree(pool='DEGRADED'), tree(pool='DEGRADED'), []),
    # A part unnamed is named by its id; one gone was deleted meanwhile,
    # one new was added meanwhile.
    (tree(extra_listener='ONLINE'), tree(extra_listener='ERROR'),
     ['listener l2 went from ONLINE to ERROR']),
    (tree(extra_listener='ONLINE'), tree(), []),
    (tree(), tree(extra_listener='ERROR'), []),
    # The load balancer's own status only when no part of it says why.
    (tree(), tree(lb='ERROR'),
     ['load balancer lb-1 went from ONLINE to ERROR']),
    # A status Octavia may add later counts as not serving.
    (tree(), tree(listener='SOMETHING_NEW'),
     ['listener http went from ONLINE to SOMETHING_NEW']),
])
def test_at_least_as_healthy(before, after, expected):
    assert traffic.regressions(before, after) == expected


def test_a_shared_pool_is_one_part():
    shared = tree()
    shared['listeners'].append(dict(shared['listeners'][0], id='l2'))
    keys = list(traffic.parts(shared))
    assert keys.count(('pool', 'p1')) == 1
    assert ('listener', 'l2') in keys


class WatchedThrottle(throttle.LocalThrottle):
    """A local throttle that says whether a slot is held."""

    held = 0

    def slot(self):
        slot = super().slot()
        watched = self

        class Held:
            def __enter__(self):
                watched.held += 1
                return slot.__enter__()

            def __exit__(self, *exc):
                watched.held -= 1
                return slot.__exit__(*exc)
        return Held()


@pytest.fixture
def cloud(config):
    config.config(max_failures=2, group='throttle')
    fake = fakes.FakeCloud()
    fake.add_lb('lb-1')
    fake.add_lb('lb-2')
    return fake


@pytest.fixture
def job(cloud):
    job = context.JobContext(job_id='job-1', cloud=cloud,
                             failover_throttle=WatchedThrottle())
    with context.activate(job):
        yield job


def fail_over(lb_id, snapshot):
    return lbt.FailoverLoadBalancer().execute('campaign-1', lb_id, snapshot,
                                              TARGET, False)


def test_snapshot_saves_the_tree_before_unless_the_check_is_off(cloud, job):
    snap = lbt.SnapshotLoadBalancer().execute('lb-1')
    assert snap['status_tree']['listeners'][0]['operating_status'] == 'ONLINE'
    assert lbt.SnapshotLoadBalancer().execute(
        'lb-1', verify_traffic=False)['status_tree'] is None


def test_a_bad_image_fails_the_target_and_feeds_the_breaker(cloud, job):
    cloud.bad_images.add('img-new')
    snap = lbt.SnapshotLoadBalancer().execute('lb-1')
    reads = []
    real = cloud.get_load_balancer_status_tree

    def read(lb_id):
        # The settle holds no throttle slot: the failover is over.
        reads.append(job.throttle.held)
        return real(lb_id)
    cloud.get_load_balancer_status_tree = read
    with pytest.raises(exceptions.TrafficNotRestored) as raised:
        fail_over('lb-1', snap)
    assert 'listener lb-1-listener went from ONLINE to ERROR after ' \
           'failover' in str(raised.value)
    assert reads and set(reads) == {0}
    assert job.breaker('campaign-1', 2).failures == 1
    assert cloud.failovers == ['lb-1']


def test_a_rerun_after_a_crash_compares_with_the_tree_before(cloud, job):
    cloud.bad_images.add('img-new')
    snap = lbt.SnapshotLoadBalancer().execute('lb-1')
    with pytest.raises(exceptions.TrafficNotRestored):
        fail_over('lb-1', snap)
    # kill -9 during the settle: the re-run finds the failover DONE, and
    # still compares with the saved tree, not the one after the failover.
    with pytest.raises(exceptions.TrafficNotRestored):
        fail_over('lb-1', snap)
    assert cloud.failovers == ['lb-1']


def test_a_load_balancer_that_recovers_within_the_settle_passes(cloud, job,
                                                                config):
    config.config(settle_seconds=5, group='verify')
    snap = lbt.SnapshotLoadBalancer().execute('lb-1')
    answers = iter(['ERROR', 'ERROR'])
    real = cloud.get_load_balancer_status_tree

    def read(lb_id):
        cloud.listener_statuses[lb_id] = next(answers, 'ONLINE')
        return real(lb_id)
    cloud.get_load_balancer_status_tree = read
    assert fail_over('lb-1', snap)['action'] == 'failed_over'
    assert job.breaker('campaign-1', 2).failures == 0


def test_the_check_off_reads_no_tree(cloud, job):
    cloud.bad_images.add('img-new')
    snap = lbt.SnapshotLoadBalancer().execute('lb-1', verify_traffic=False)
    cloud.get_load_balancer_status_tree = None      # never called
    assert fail_over('lb-1', snap)['action'] == 'failed_over'


def test_deleted_during_the_settle_is_nothing_to_check(cloud, job):
    cloud.bad_images.add('img-new')
    before = cloud.get_load_balancer_status_tree('lb-1')
    cloud.delete_lb('lb-1')
    traffic.settle(job, cloud, 'lb-1', before, job.breaker('campaign-1', 2))
    assert job.breaker('campaign-1', 2).failures == 0


def test_skipped_targets_are_not_settled(cloud, job):
    before = cloud.get_load_balancer_status_tree('lb-1')
    cloud.listener_statuses['lb-1'] = 'ERROR'
    decision, _ = failover.FencedFailover(
        job, cloud, 'campaign-1', 'lb-1', status_before=before).run(
            lambda: (failover.SKIP, 'current'), lambda: None)
    assert decision == failover.SKIP


def test_a_failure_names_a_few_parts():
    lines = ['member m%d went from ONLINE to ERROR' % i for i in range(6)]
    assert traffic.describe(lines, 'after failover') == (
        'member m0 went from ONLINE to ERROR after failover; '
        'member m1 went from ONLINE to ERROR after failover; '
        'member m2 went from ONLINE to ERROR after failover; '
        'member m3 went from ONLINE to ERROR after failover; and 2 more')
