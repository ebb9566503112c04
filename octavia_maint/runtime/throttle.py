"""The failover throttle: at most N failovers in flight, optionally paced.

Octavia has no limit of its own: a burst of failovers exhausts compute
capacity and the controller workers. Every task that fails something over
holds a slot of one throttle for the whole failover, until the load
balancer is ACTIVE (or ERROR) again, so the cloud never sees more than
``[throttle] max_concurrent_failovers`` at once. On a job board the
throttle is a kazoo ``Semaphore`` shared by all conductors; its leases are
ephemeral, so a killed conductor's slots return when its session expires.
"""

import contextlib
import threading
import time

from kazoo.recipe import lock as kazoo_lock


# A campaign keeps this many times the throttle's slots of children in
# flight (posted, not finished), and at least MIN_CAMPAIGN_WINDOW.
CAMPAIGN_WINDOW_FACTOR = 2
MIN_CAMPAIGN_WINDOW = 8


def campaign_window(max_concurrent):
    """How many children a campaign runs at once, for a throttle of
    ``max_concurrent`` slots: enough to keep every slot busy, few enough
    that the board stays small."""
    return max(MIN_CAMPAIGN_WINDOW, CAMPAIGN_WINDOW_FACTOR * max_concurrent)


class LocalThrottle:
    """A throttle for one process (local mode and unit tests)."""

    def __init__(self, max_concurrent=1000000, min_interval=0.0):
        self.max_concurrent = max_concurrent
        self._semaphore = threading.BoundedSemaphore(max_concurrent)
        self._pacer = _Pacer(min_interval)

    @contextlib.contextmanager
    def slot(self):
        """Hold one failover slot; wait for it, then for the pacing gap."""
        with self._semaphore:
            self._pacer.wait_turn()
            yield


class ZooKeeperThrottle:
    """A throttle shared by every conductor through ZooKeeper."""

    def __init__(self, client, path, max_concurrent, min_interval=0.0,
                 identifier=None):
        self.max_concurrent = max_concurrent
        self._client = client
        self._path = path
        self._identifier = identifier
        self._pace_lock_path = path + '-pacing'
        self._min_interval = min_interval

    @contextlib.contextmanager
    def slot(self):
        # One Semaphore object per holder: kazoo's recipe tracks a single
        # lease per object, and many job threads share this throttle.
        semaphore = kazoo_lock.Semaphore(self._client, self._path,
                                         identifier=self._identifier,
                                         max_leases=self.max_concurrent)
        with semaphore:
            if self._min_interval:
                self._wait_turn()
            yield

    def _wait_turn(self):
        """Space failover starts cloud-wide by ``min_interval`` seconds.

        The time of the last start is kept in the lock node's data, read
        and written under the lock, so pacing holds across conductors.
        """
        pace_lock = kazoo_lock.Lock(self._client, self._pace_lock_path,
                                    identifier=self._identifier)
        with pace_lock:
            data, _stat = self._client.get(self._pace_lock_path)
            last = float(data or 0.0)
            delay = last + self._min_interval - time.time()
            if delay > 0:
                time.sleep(delay)
            self._client.set(self._pace_lock_path,
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
