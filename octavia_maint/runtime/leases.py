"""Throttle leases handed from one job thread to the next in a process.

A slot of the cloud-wide throttle is a lease of kazoo's ``Semaphore``.
Taking one from ZooKeeper is a queue: every waiter, in every conductor,
lines up on the semaphore's lock, and only the first in line watches the
leases; when one frees, it takes it, lets go of the lock, and the next
in line starts watching. Each turn is several ZooKeeper round trips and
thread wake-ups in a row, so when the failovers of one wave end together
their slots come back one after another. Profiled (issue 13): the median
time from a failover ending to the next one starting in its slot was a
whole 2 s failover, with 50 slots and 100 children waiting.

Here a thread that gives back its lease while another thread of the
same process waits for one hands the lease over instead: the lease's
node stays in ZooKeeper, so every conductor still sees the slot taken,
and the throttle's count is unchanged. Only one thread of a process
queues in ZooKeeper at a time; the others wait here. Two limits keep
this honest:

* A lease is handed over at most ``MAX_HAND_OFFS`` times in a row, then
  it goes back to ZooKeeper's queue: a conductor with work queued must
  not keep its slots from the conductors of other campaigns for ever.
* A lease taken in an earlier ZooKeeper session is never handed over:
  its ephemeral node went with that session, so it holds no slot.

A conductor that stops (SIGTERM) closes its hand-off: every thread that
waits for a lease gives up (its job went to another conductor), and
leases come back to ZooKeeper, where the other conductors queue.
"""

import collections
import threading

from octavia_maint.common import exceptions

MAX_HAND_OFFS = 8
# How long the thread queued in ZooKeeper waits before it looks whether
# the hand-off was closed: the longest a stopping conductor waits for it.
STOP_CHECK_SECONDS = 1.0


class Lease:
    """A taken lease: the kazoo semaphore holding it, its session, and how
    many times it was handed over already."""

    def __init__(self, semaphore, session):
        self.semaphore = semaphore
        self.session = session
        self.hand_offs = 0


class HandOff:
    """Leases of one process's semaphore, passed from holder to waiter.

    :param take: ``(stopped) -> semaphore``, a semaphore that holds a
        lease taken from ZooKeeper, blocking until there is one or the
        ``stopped`` event is set (then it raises ConductorStopping) and
        looking at it at least every ``STOP_CHECK_SECONDS``.
    :param session: ``() -> id`` of the client's current ZooKeeper session.
    """

    def __init__(self, take, session):
        self._take = take
        self._session = session
        self._changed = threading.Condition()
        self._handed = collections.deque()
        # Threads waiting here, not counting the one queued in ZooKeeper.
        self._waiting = 0
        self._taking = False
        self._closed = threading.Event()

    def acquire(self):
        """A lease: one handed over by a thread of this process, or, when
        none comes first and no other thread is queued in ZooKeeper, one
        taken from ZooKeeper by this thread.

        :raises ConductorStopping: the hand-off was closed (:meth:`close`).
        """
        with self._changed:
            self._waiting += 1
            while not (self._handed or self._closed.is_set()) and \
                    self._taking:
                self._changed.wait()
            self._waiting -= 1
            if self._closed.is_set():
                raise exceptions.ConductorStopping()
            if self._handed:
                lease = self._handed.popleft()
                self._wake_one()
                return lease
            self._taking = True
        try:
            return Lease(self._take(self._closed), self._session())
        finally:
            with self._changed:
                self._taking = False
                self._wake_one()

    def release(self, lease):
        """Hand ``lease`` to a waiting thread, or give it back."""
        with self._changed:
            if (self._waiting and not self._closed.is_set() and
                    lease.hand_offs < MAX_HAND_OFFS and
                    lease.session == self._session()):
                lease.hand_offs += 1
                self._handed.append(lease)
                self._wake_one()
                return
        lease.semaphore.release()

    def close(self):
        """No lease from here on: every waiting thread raises
        ConductorStopping, the one queued in ZooKeeper within
        ``STOP_CHECK_SECONDS``, and a lease handed over but not yet
        picked up goes back to ZooKeeper."""
        with self._changed:
            self._closed.set()
            handed = list(self._handed)
            self._handed.clear()
            self._changed.notify_all()
        for lease in handed:
            lease.semaphore.release()

    def _wake_one(self):
        """Wake one waiter if there is something for it: a lease handed
        over, or the place in ZooKeeper's queue. One at a time: a hundred
        job threads woken for each lease would cost more than ZooKeeper."""
        if self._waiting and (self._handed or not self._taking):
            self._changed.notify()
