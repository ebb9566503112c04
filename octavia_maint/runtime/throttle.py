"""The failover throttle: at most N failovers in flight, optionally paced.

Octavia has no limit of its own: a burst of failovers exhausts compute
capacity and the controller workers. Every task that fails something over
holds a slot of one throttle for the whole failover, until the load
balancer is ACTIVE (or ERROR) again, so the cloud never sees more than
``[throttle] max_concurrent_failovers`` at once. On a job board the
throttle is a kazoo ``Semaphore`` shared by all conductors; its leases are
ephemeral, so a killed conductor's slots return when its session expires.

A lease only says that a live conductor is failing something over; a
conductor killed with ``kill -9`` loses its leases seconds after its
death (its ZooKeeper session expires) while Octavia still runs its
failovers for minutes. So the slots alone are a promise about the
conductors, not about the cloud. The promise about the cloud is kept at
the fence (:meth:`Slot.admit`), right before a failover is issued: a
ledger of the failovers we issued is pruned of those the cloud no longer
shows ``PENDING_UPDATE``, and a new one is issued only while fewer than
``max_concurrent_failovers`` remain; an entry goes in atomically with
that count (a versioned ZooKeeper transaction, a lock in one process),
so two conductors never both take the last room. The
ledger outlives whoever issued its entries: persistent ZooKeeper nodes on
a board; in local mode, where one process runs everything and its crash
takes every job with it, the process' first fence takes what the cloud
shows ``PENDING_UPDATE`` as the ledger its predecessor left.

Why a ledger of ours and not simply every ``PENDING_UPDATE`` load
balancer, or those of one campaign: the throttle is cloud-wide, so the
failovers of every campaign count, while a tenant's own change (or a load
balancer stuck ``PENDING_UPDATE`` for days) is not a failover of ours and
must not stop a campaign. The cloud is listed only when the ledger is
full, so a healthy campaign pays nothing but a few ZooKeeper calls.
"""

import contextlib
import threading
import time

from kazoo import exceptions as kazoo_exceptions
from kazoo.recipe import lock as kazoo_lock
from oslo_log import log as logging

from octavia_maint.common import exceptions
from octavia_maint.common import waiting
from octavia_maint import conf
from octavia_maint.runtime import leases

LOG = logging.getLogger(__name__)
CONF = conf.CONF

# What a load balancer shows while its failover runs (Octavia's 202 to
# ``PUT .../failover`` already returns it so).
FAILING_OVER = 'PENDING_UPDATE'


class Slot:
    """One held slot of a throttle; ``admit`` is the fence of its failover.

    Entries the slot put in the ledger leave it when the slot is released
    normally (the failover ended: the holder waited for it); after an
    error or a crash they stay until the cloud shows the load balancer
    out of ``PENDING_UPDATE``, or ``[throttle] failover_timeout`` passed.
    """

    def __init__(self, throttle):
        self._throttle = throttle
        self._admitted = []

    @contextlib.contextmanager
    def admit(self, lb_id, cloud, check_active):
        """Run the body (the one ``issue()`` call) once the cloud has
        room for one more failover of ours.

        Waits, at ``[cloud] status_poll_interval``, while the ledger holds
        ``max_concurrent_failovers`` failovers the cloud still runs
        (those of a killed conductor included), calling ``check_active``
        before each look so a cancelled job or lost claim stops waiting.
        The look and the ledger entry are one atomic step
        (``take_room``), so two conductors cannot both take the last
        room; the body runs after it.

        :param lb_id: the load balancer the body fails (something of) over.
        :param cloud: the cloud facade, to list what is ``PENDING_UPDATE``.
        :param check_active: raises when the job must stop; with
            ``fresh=True``, reading the cancel flag from the database.
        """
        refused = []

        def take_room():
            if self._throttle.take_room(cloud, lb_id):
                return True
            if not refused:
                LOG.info('Load balancer %s waits: %d failovers of ours are '
                         'still running in the cloud', lb_id,
                         self._throttle.max_concurrent)
                refused.append(lb_id)
            return False

        waiting.wait_until(take_room, interval=CONF.cloud.status_poll_interval,
                           check=check_active)
        try:
            # The last look before the one action that cannot be undone
            # reads the operator's cancel afresh, not from a second-old
            # memory: a failover that waited for room is never issued
            # after ``job cancel`` returned.
            check_active(fresh=True)
        except Exception:
            self._throttle.ledger_discard(lb_id)
            raise
        try:
            yield
        except (exceptions.Conflict, exceptions.NotFound):
            # Octavia refused (busy or gone): nothing of ours runs in
            # the cloud for it. Any other error may have come after
            # Octavia took the failover: the entry stays, the cloud's
            # PENDING_UPDATE decides when it goes.
            self._throttle.ledger_discard(lb_id)
            raise
        self._admitted.append(lb_id)

    def release(self):
        for lb_id in self._admitted:
            self._throttle.ledger_discard(lb_id)


class _Throttle:
    """What the local and the ZooKeeper throttle share: the fence."""

    def __init__(self, max_concurrent):
        self.max_concurrent = max_concurrent

    @contextlib.contextmanager
    def slot(self):
        """Hold one failover slot; wait for it, then for the pacing gap.

        :returns: (as context) the :class:`Slot`.
        """
        with self._hold():
            held = Slot(self)
            yield held
            held.release()

    def room(self, cloud, lb_id, entries=None):
        """Whether one more failover may start, the ledger holding
        ``entries`` (read now when None); part of ``take_room``.

        The cloud is asked only when the ledger is full: one listing of
        what is ``PENDING_UPDATE`` prunes the entries whose failover
        ended, and those older than ``[throttle] failover_timeout`` (by
        then the failover counts as failed; a load balancer stuck in
        ``PENDING_UPDATE`` must not hold a slot forever). Pruning only
        ever makes room, so it needs no atomicity of its own.
        """
        others = (self.ledger_ids() if entries is None
                  else entries) - {lb_id}
        if len(others) < self.max_concurrent:
            return True
        pending = {lb['id'] for lb in cloud.list_load_balancers(
            provisioning_status=FAILING_OVER)}
        oldest = time.time() - CONF.throttle.failover_timeout
        running = set()
        for other in others:
            if other in pending and self.ledger_since(other) >= oldest:
                running.add(other)
            else:
                self.ledger_discard(other)
        return len(running) < self.max_concurrent


class LocalThrottle(_Throttle):
    """A throttle for one process (local mode and unit tests)."""

    def __init__(self, max_concurrent=1000000, min_interval=0.0):
        super().__init__(max_concurrent)
        self._semaphore = threading.BoundedSemaphore(max_concurrent)
        self._pacer = _Pacer(min_interval)
        self._fence = threading.Lock()
        self._ledger_lock = threading.Lock()
        self._ledger = None

    @contextlib.contextmanager
    def _hold(self):
        with self._semaphore:
            self._pacer.wait_turn()
            yield

    def take_room(self, cloud, lb_id):
        """Put ``lb_id`` in the ledger if the cloud has room for it;
        whether it did. One job thread at a time."""
        with self._fence:
            admitted = self.room(cloud, lb_id)
            if admitted:
                self.ledger_add(lb_id)
        return admitted

    def room(self, cloud, lb_id, entries=None):
        if self._ledger is None:
            # The first fence of this process: what runs in the cloud
            # now may be failovers of a crashed predecessor.
            now = time.time()
            self._ledger = {lb['id']: now for lb in cloud.list_load_balancers(
                provisioning_status=FAILING_OVER)}
        return super().room(cloud, lb_id, entries)

    def ledger_ids(self):
        with self._ledger_lock:
            return set(self._ledger or ())

    def ledger_since(self, lb_id):
        with self._ledger_lock:
            return self._ledger.get(lb_id, 0.0)

    def ledger_add(self, lb_id):
        with self._ledger_lock:
            self._ledger[lb_id] = time.time()

    def ledger_discard(self, lb_id):
        with self._ledger_lock:
            if self._ledger:
                self._ledger.pop(lb_id, None)


class ZooKeeperThrottle(_Throttle):
    """A throttle shared by every conductor through ZooKeeper."""

    def __init__(self, client, path, max_concurrent, min_interval=0.0,
                 identifier=None):
        super().__init__(max_concurrent)
        self._client = client
        self._path = path
        self._identifier = identifier
        self._pace_lock_path = path + '-pacing'
        self._ledger_path = path + '-in-flight'
        self._min_interval = min_interval
        # Slots pass between this process's job threads without a turn in
        # ZooKeeper's queue (runtime/leases.py).
        self._leases = leases.HandOff(self._take_lease,
                                      lambda: client.client_id)

    @contextlib.contextmanager
    def _hold(self):
        lease = self._leases.acquire()
        try:
            if self._min_interval:
                self._wait_turn()
            yield
        finally:
            self._leases.release(lease)

    def stop_waiting(self):
        """This conductor stops: no thread of it waits for a slot any more
        (each raises ConductorStopping), and slots given back from now on
        go to ZooKeeper. Slots held stay held until their failover ends."""
        self._leases.close()

    def _take_lease(self, stopped):
        """A semaphore holding a lease from ZooKeeper (waits for one).

        One Semaphore object per lease: kazoo's recipe tracks a single
        lease per object, and many job threads share this throttle. The
        wait is cut into turns of ``leases.STOP_CHECK_SECONDS`` to see
        ``stopped``: kazoo's ``cancel`` cannot reach a waiter still
        queued on the semaphore's inner lock. A turn that ends gives up
        the place in ZooKeeper's queue; it is taken again at once.
        """
        semaphore = kazoo_lock.Semaphore(self._client, self._path,
                                         identifier=self._identifier,
                                         max_leases=self.max_concurrent)
        while not stopped.is_set():
            try:
                if semaphore.acquire(timeout=leases.STOP_CHECK_SECONDS):
                    return semaphore
            except kazoo_exceptions.LockTimeout:
                pass
        raise exceptions.ConductorStopping()

    def take_room(self, cloud, lb_id):
        """Put ``lb_id`` in the ledger if the cloud has room for it;
        whether it did.

        Optimistic, as ZooKeeper recipes are: read the ledger and its
        node's version, decide, then in one transaction bump that version
        and add the entry. A fence of another conductor that added one in
        between bumped it first, and this transaction fails as a whole:
        read again and decide again. Two round trips where a cloud-wide
        lock took four more, with every conductor's next failover queued
        behind it (issue 13). An entry removed in between only made room.
        """
        while True:
            entries, version = self._ledger_and_version()
            if not self.room(cloud, lb_id, entries):
                return False
            if self._retry(self._add_if_unchanged, lb_id, version,
                           lb_id in entries):
                return True

    def _ledger_and_version(self):
        """The ledger's entries and its node's data version (the first
        read creates the node)."""
        while True:
            try:
                children, stat = self._retry(
                    self._client.get_children, self._ledger_path,
                    include_data=True)
                return set(children), stat.version
            except kazoo_exceptions.NoNodeError:
                self._retry(self._client.ensure_path, self._ledger_path)

    def _add_if_unchanged(self, lb_id, version, present):
        """One transaction: the ledger's version bumped from ``version``,
        ``lb_id``'s entry stamped now; False when it was refused.

        Built anew on each try: a transaction commits once, and a try
        cut off by a lost connection is made again by ``_retry``. If the
        lost one had committed, this one finds the version moved on, and
        the caller reads again and sees its own entry (it does not count).
        """
        data = repr(time.time()).encode()
        transaction = self._client.transaction()
        transaction.set_data(self._ledger_path, b'', version=version)
        if present:
            transaction.set_data(self._node(lb_id), data)
        else:
            transaction.create(self._node(lb_id), data)
        return not any(isinstance(result, Exception)
                       for result in transaction.commit())

    def ledger_ids(self):
        """The load balancers of the ledger's persistent nodes (for the
        metrics). No node yet is an empty ledger."""
        try:
            return set(self._retry(self._client.get_children,
                                   self._ledger_path))
        except kazoo_exceptions.NoNodeError:
            return set()

    def ledger_since(self, lb_id):
        try:
            data, _stat = self._retry(self._client.get, self._node(lb_id))
        except kazoo_exceptions.NoNodeError:
            return 0.0
        return float(data or 0.0)

    def ledger_discard(self, lb_id):
        try:
            self._retry(self._client.delete, self._node(lb_id))
        except kazoo_exceptions.NoNodeError:
            pass

    def _retry(self, call, *args, **kwargs):
        """Make one ZooKeeper call, riding out a restart of ZooKeeper.

        The ledger's calls run inside a child's failover (at the fence,
        and when its slot is released): ZooKeeper away for a few seconds
        must not fail the target. The client's command retry (its
        deadline, ``jobs/zookeeper.RECONNECT_SECONDS``) waits for it; a
        create or delete repeated after a lost reply finds its own work
        done (NodeExists, NoNode) and takes that as success.
        """
        return self._client.retry(call, *args, **kwargs)

    def _node(self, lb_id):
        return '%s/%s' % (self._ledger_path, lb_id)

    def _wait_turn(self):
        """Space failover starts cloud-wide by ``min_interval`` seconds.

        The time of the last start is kept in the lock node's data, read
        and written under the lock, so pacing holds across conductors.
        """
        pace_lock = kazoo_lock.Lock(self._client, self._pace_lock_path,
                                    identifier=self._identifier)
        with pace_lock:
            data, _stat = self._retry(self._client.get,
                                      self._pace_lock_path)
            last = float(data or 0.0)
            delay = last + self._min_interval - time.time()
            if delay > 0:
                time.sleep(delay)
            self._retry(self._client.set, self._pace_lock_path,
                        repr(time.time()).encode())


class _Pacer:
    """Least gap between two starts, inside one process."""

    def __init__(self, min_interval):
        self._min_interval = min_interval
        self._lock = threading.Lock()
        self._last = 0.0

    def wait_turn(self):
        if not self._min_interval:
            return
        with self._lock:
            delay = self._last + self._min_interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self._last = time.monotonic()
