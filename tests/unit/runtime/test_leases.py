"""Throttle leases handed between the job threads of one process.

ZooKeeper is faked at our boundary (``take`` gives a semaphore that holds
a lease); the real kazoo semaphore is driven by the throttle tests in
tests/functional/engine/test_throttle_truth.py.
"""

import threading
import time

import pytest

from octavia_maint.common import exceptions
from octavia_maint.runtime import leases


class FakeSemaphore:
    def __init__(self, zk):
        self.zk = zk
        self.released = False

    def release(self):
        self.released = True
        self.zk.free.release()


class FakeZooKeeper:
    """Gives out leases while it has some; blocks ``take`` otherwise."""

    def __init__(self, free):
        self.free = threading.Semaphore(free)
        self.taken = 0
        self.session = 'session-1'

    def take(self, stopped):
        while not self.free.acquire(timeout=0.01):
            if stopped.is_set():
                raise exceptions.ConductorStopping()
        self.taken += 1
        return FakeSemaphore(self)


def hand_off(free):
    zk = FakeZooKeeper(free)
    return zk, leases.HandOff(zk.take, lambda: zk.session)


def in_thread(handoff):
    got = []

    def acquire():
        try:
            got.append(handoff.acquire())
        except exceptions.ConductorStopping as e:
            got.append(e)
    thread = threading.Thread(target=acquire, daemon=True)
    thread.start()
    return thread, got


def wait_for(predicate):
    deadline = time.monotonic() + 5
    while not predicate():
        assert time.monotonic() < deadline, 'never happened'
        time.sleep(0.01)


def held_while_two_wait(handoff):
    """A lease taken, then one thread queued in ZooKeeper and one waiting
    here for a hand-off: the lease."""
    lease = handoff.acquire()
    in_thread(handoff)
    in_thread(handoff)
    wait_for(lambda: handoff._waiting == 1)
    return lease


def test_a_lease_given_back_while_a_thread_waits_goes_to_it():
    zk, handoff = hand_off(free=1)
    first = handoff.acquire()
    queued, _ = in_thread(handoff)          # queues in ZooKeeper
    waiting, got = in_thread(handoff)       # waits here
    wait_for(lambda: handoff._waiting == 1)
    handoff.release(first)
    waiting.join(5)
    assert got == [first] and not first.semaphore.released
    assert first.hand_offs == 1 and zk.taken == 1
    handoff.release(got[0])                 # the queued one's turn now
    queued.join(5)
    assert not queued.is_alive()


def test_a_lease_nobody_here_waits_for_goes_back_to_zookeeper():
    _zk, handoff = hand_off(free=1)
    lease = handoff.acquire()
    handoff.release(lease)
    assert lease.semaphore.released


def test_the_thread_queued_in_zookeeper_alone_gets_no_hand_off():
    # Handing the lease to nobody would keep it from ZooKeeper, where the
    # only waiter queues: a deadlock.
    zk, handoff = hand_off(free=1)
    lease = handoff.acquire()
    queued, got = in_thread(handoff)
    wait_for(lambda: handoff._taking)
    handoff.release(lease)
    assert lease.semaphore.released         # and ZooKeeper has it again
    queued.join(5)
    assert got and got[0] is not lease


def test_a_lease_goes_back_to_zookeeper_after_its_hand_offs():
    _zk, handoff = hand_off(free=1)
    lease = held_while_two_wait(handoff)
    lease.hand_offs = leases.MAX_HAND_OFFS
    handoff.release(lease)
    assert lease.semaphore.released


def test_a_lease_of_an_earlier_session_is_not_handed_over():
    # Its ephemeral node went with the session: it holds no slot.
    zk, handoff = hand_off(free=1)
    lease = held_while_two_wait(handoff)
    zk.session = 'session-2'
    handoff.release(lease)
    assert lease.semaphore.released


def test_one_thread_at_a_time_queues_in_zookeeper():
    zk, handoff = hand_off(free=0)
    threads = [in_thread(handoff)[0] for _ in range(5)]
    wait_for(lambda: handoff._waiting == 4)
    assert handoff._taking
    for _ in range(5):
        zk.free.release()
    for thread in threads:
        thread.join(5)
    assert zk.taken == 5 and handoff._waiting == 0 and not handoff._taking


def test_closing_stops_every_thread_that_waits_for_a_lease():
    # SIGTERM: a job handed over must not keep its conductor alive while
    # it waits for a slot (seen in CI: 20 s for a 10 s hand-off).
    _zk, handoff = hand_off(free=0)
    waiting = [in_thread(handoff) for _ in range(3)]
    wait_for(lambda: handoff._waiting == 2 and handoff._taking)
    handoff.close()
    for thread, got in waiting:
        thread.join(5)
        assert not thread.is_alive()
        assert isinstance(got[0], exceptions.ConductorStopping)
    with pytest.raises(exceptions.ConductorStopping):
        handoff.acquire()


def test_after_closing_a_lease_goes_back_to_zookeeper():
    # The thread it would go to is about to stop: ZooKeeper, where the
    # other conductors queue, gets the slot.
    _zk, handoff = hand_off(free=1)
    lease = held_while_two_wait(handoff)
    handoff.close()
    handoff.release(lease)
    assert lease.semaphore.released


def test_closing_gives_back_a_lease_handed_over_but_not_yet_taken():
    zk, handoff = hand_off(free=1)
    lease = handoff.acquire()
    # A hand-off that no waiter has picked up yet (the waiter was woken
    # but has not run): closing must not leave its slot taken.
    handoff._waiting = 1
    handoff.release(lease)
    handoff._waiting = 0
    handoff.close()
    assert lease.semaphore.released
