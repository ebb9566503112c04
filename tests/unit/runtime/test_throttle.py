"""The throttle's fence counts the failovers the cloud still runs."""

import threading

import pytest

from octavia_maint.common import exceptions
from octavia_maint.runtime import throttle
from tests.unit.tasks import fakes


@pytest.fixture
def cloud(config):
    config.config(status_poll_interval=0.01, group='cloud')
    fake = fakes.FakeCloud()
    for lb_id in ('lb-1', 'lb-2', 'lb-3'):
        fake.add_lb(lb_id)
    return fake


def fail_over(gate, cloud, lb_id, check_active=lambda **_: None):
    with gate.slot() as slot:
        with slot.admit(lb_id, cloud, check_active):
            cloud.failover_load_balancer(lb_id)


def in_thread(target, *args):
    done = threading.Event()

    def run():
        target(*args)
        done.set()
    threading.Thread(target=run, daemon=True).start()
    return done


def test_a_crashed_runs_failover_holds_its_slot_until_it_ends(cloud):
    cloud.failover_load_balancer('lb-1')   # issued, then the process died
    gate = throttle.LocalThrottle(1)
    done = in_thread(fail_over, gate, cloud, 'lb-2')
    assert not done.wait(0.3)
    assert cloud.failovers == ['lb-1']
    cloud.complete_failover('lb-1')
    assert done.wait(5)
    assert cloud.failovers == ['lb-1', 'lb-2']


def test_a_slot_lost_mid_failover_leaves_the_failover_counted(cloud):
    gate = throttle.LocalThrottle(1)
    with pytest.raises(exceptions.ClaimLost):
        with gate.slot() as slot:
            with slot.admit('lb-1', cloud, lambda **_: None):
                cloud.failover_load_balancer('lb-1')
            raise exceptions.ClaimLost(owner='me', job_id='job-1')
    done = in_thread(fail_over, gate, cloud, 'lb-2')
    assert not done.wait(0.3)
    cloud.complete_failover('lb-1')
    assert done.wait(5)


def test_a_failover_not_issued_takes_no_room(cloud):
    gate = throttle.LocalThrottle(1)
    fail_over(gate, cloud, 'lb-3')
    cloud.complete_failover('lb-3')
    cloud.lbs['lb-1']['provisioning_status'] = 'PENDING_UPDATE'  # not ours
    with pytest.raises(exceptions.Conflict):
        fail_over(gate, cloud, 'lb-1')
    fail_over(gate, cloud, 'lb-2')
    assert cloud.failovers == ['lb-3', 'lb-2']


def test_a_cancel_ends_the_wait_at_the_fence(cloud):
    cloud.failover_load_balancer('lb-1')
    gate = throttle.LocalThrottle(1)
    calls = []

    def check_active(fresh=False):
        calls.append(1)
        if len(calls) > 2:
            raise exceptions.JobCancelled(job_id='job-1')
    with pytest.raises(exceptions.JobCancelled):
        fail_over(gate, cloud, 'lb-2', check_active)
    assert cloud.failovers == ['lb-1']


def test_room_found_is_not_used_after_a_cancel_the_memory_missed(cloud):
    """A cancel read from the one-second memory may be stale: the last
    look before issuing reads it afresh, and gives the room back."""
    gate = throttle.LocalThrottle(1)

    def check_active(fresh=False):
        if fresh:
            raise exceptions.JobCancelled(job_id='job-1')
    with pytest.raises(exceptions.JobCancelled):
        fail_over(gate, cloud, 'lb-2', check_active)
    assert cloud.failovers == []
    assert gate.ledger_ids() == set()


class Clock:
    """``throttle.time``: the wall clock the ledger stamps, set by hand."""

    def __init__(self):
        self.now = 1_000_000.0

    def time(self):
        return self.now

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(throttle, 'time', fake)
    return fake


TIMEOUT = 900   # [throttle] failover_timeout's default


# The ledger holds lb-1 and lb-2 (stamped ``age`` seconds ago); the cloud
# shows ``pending`` PENDING_UPDATE; lb-3 (or ``asking``) asks for room.
@pytest.mark.parametrize('slots, age, pending, asking, room, left, listed', [
    # Not full: the cloud is not asked.
    (3, 0, {'lb-1', 'lb-2'}, 'lb-3', True, {'lb-1', 'lb-2'}, 0),
    # Full, both still failing over: no room, nothing pruned.
    (2, 0, {'lb-1', 'lb-2'}, 'lb-3', False, {'lb-1', 'lb-2'}, 1),
    # Full, one ended: pruned, room.
    (2, 0, {'lb-1'}, 'lb-3', True, {'lb-1'}, 1),
    # Full, PENDING_UPDATE for longer than failover_timeout: counted as
    # failed and pruned (a stuck LB must not hold a slot for ever).
    (2, TIMEOUT + 1, {'lb-1', 'lb-2'}, 'lb-3', True, set(), 1),
    (2, TIMEOUT, {'lb-1', 'lb-2'}, 'lb-3', False, {'lb-1', 'lb-2'}, 1),
    # The asker's own entry (a re-run after a crash) does not count.
    (2, 0, {'lb-1', 'lb-2'}, 'lb-2', True, {'lb-1', 'lb-2'}, 0),
])
def test_room_prunes_the_ledger_by_what_the_cloud_shows(
        cloud, clock, slots, age, pending, asking, room, left, listed):
    gate = throttle.LocalThrottle(slots)
    assert gate.room(cloud, 'lb-3')      # the first fence: nothing pending
    gate.ledger_add('lb-1')
    gate.ledger_add('lb-2')
    clock.now += age
    for lb_id in pending:
        cloud.lbs[lb_id]['provisioning_status'] = 'PENDING_UPDATE'
    listings = []
    list_load_balancers = cloud.list_load_balancers
    cloud.list_load_balancers = lambda **filters: (
        listings.append(filters) or list_load_balancers(**filters))
    assert gate.room(cloud, asking) is room
    assert gate.ledger_ids() == left
    assert len(listings) == listed


def test_the_first_local_fence_takes_over_what_the_cloud_runs(cloud):
    cloud.lbs['lb-1']['provisioning_status'] = 'PENDING_UPDATE'
    gate = throttle.LocalThrottle(2)
    assert gate.room(cloud, 'lb-2')
    assert gate.ledger_ids() == {'lb-1'}


@pytest.mark.parametrize('error, kept', [
    (exceptions.Conflict(resource='Load balancer', id='lb-1', reason='x'),
     False),
    (exceptions.NotFound(resource='Load balancer', id='lb-1'), False),
    # Perhaps after Octavia took the failover: the cloud decides.
    (exceptions.CloudTimeout(resource='Load balancer', id='lb-1',
                             status='ACTIVE', current='PENDING_UPDATE',
                             timeout=1), True),
])
def test_an_issue_that_fails_keeps_its_entry_only_if_it_may_run(
        cloud, error, kept):
    gate = throttle.LocalThrottle(1)
    with pytest.raises(type(error)):
        with gate.slot() as slot:
            with slot.admit('lb-1', cloud, lambda **_: None):
                raise error
    assert gate.ledger_ids() == ({'lb-1'} if kept else set())


def test_a_slot_released_normally_leaves_no_entry(cloud):
    gate = throttle.LocalThrottle(2)
    with gate.slot() as slot:
        with slot.admit('lb-1', cloud, lambda **_: None):
            cloud.failover_load_balancer('lb-1')
        with slot.admit('lb-2', cloud, lambda **_: None):
            cloud.failover_load_balancer('lb-2')
        assert gate.ledger_ids() == {'lb-1', 'lb-2'}
    assert gate.ledger_ids() == set()


def test_slots_are_paced_by_min_interval(cloud, clock):
    gate = throttle.LocalThrottle(5, min_interval=30.0)
    starts = []
    for _ in range(3):
        with gate.slot():
            starts.append(clock.now)
    assert [b - a for a, b in zip(starts, starts[1:])] == [30.0, 30.0]
