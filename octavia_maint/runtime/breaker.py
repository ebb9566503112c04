"""The campaign circuit breaker: stop failing over after N failures.

A campaign's children run on many conductors, so the failure count of a
campaign is shared: a kazoo ``Counter`` on a job board, a plain counter
in local mode. Children check the breaker before issuing a failover and
count a failure when one ends in ERROR or times out.
"""

import collections
import threading

from kazoo.recipe import counter as kazoo_counter
from kazoo.recipe import watchers

# Campaigns whose breaker (and its data watch) a conductor keeps: more
# than the campaigns that run at once.
KEPT_BREAKERS = 16


class Breaker:
    """A failure counter with a limit."""

    def __init__(self, campaign_id, limit, counter):
        self.campaign_id = campaign_id
        self.limit = limit
        self._counter = counter

    @property
    def failures(self):
        return self._counter.value

    def is_open(self):
        """True when no more failovers may be issued."""
        return self.failures >= self.limit

    def record_failure(self):
        self._counter += 1


class _LocalCounter:
    def __init__(self):
        self._lock = threading.Lock()
        self.value = 0

    def __iadd__(self, amount):
        with self._lock:
            self.value += amount
        return self


class LocalBreakers:
    """Breakers of one process, one counter per campaign."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counters = {}

    def get(self, campaign_id, limit):
        with self._lock:
            counter = self._counters.setdefault(campaign_id, _LocalCounter())
        return Breaker(campaign_id, limit, counter)


class ZooKeeperBreakers:
    """Breakers shared through ZooKeeper counters under ``path``, one
    watched counter per campaign (the last ``KEPT_BREAKERS``)."""

    def __init__(self, client, path):
        self._client = client
        self._path = path
        self._lock = threading.Lock()
        self._counters = collections.OrderedDict()

    def get(self, campaign_id, limit):
        with self._lock:
            counter = self._counters.pop(campaign_id, None)
            if counter is None:
                counter = _WatchedCounter(
                    self._client, '%s/%s' % (self._path, campaign_id))
            self._counters[campaign_id] = counter
            while len(self._counters) > KEPT_BREAKERS:
                self._counters.popitem(last=False)[1].stop()
        return Breaker(campaign_id, limit, counter)


class _WatchedCounter(kazoo_counter.Counter):
    """kazoo's Counter, whose value a data watch keeps current.

    Every failover asks its campaign's breaker first; reading the counter
    each time cost two ZooKeeper round trips per failover (its node made
    sure of, then read) for a count that changes only when a failover
    fails (issue 13). The watch is set by the first read, which waits out
    a ZooKeeper restart as every read did; kazoo's DataWatch reads again
    once a lost connection is back. A change is still the Counter's
    versioned write, and fires every conductor's watch.
    """

    def __init__(self, client, path):
        super().__init__(client, path)
        self._lock = threading.Lock()
        self._watching = False
        self._stopped = False
        self._seen = self.default

    @property
    def value(self):
        if self._stopped:
            # No longer kept, yet a running child may still hold it: its
            # watch ends, so ask ZooKeeper, as every read did before.
            return self.client.retry(self._value)[0]
        with self._lock:
            if not self._watching:
                self.client.retry(self._ensure_node)
                # Calls _see with the node's data before it returns.
                watchers.DataWatch(self.client, self.path, self._see)
                self._watching = True
        return self._seen

    def _see(self, data, _stat):
        """The watch's callback; False ends the watch."""
        if self._stopped:
            return False
        self._seen = (self.default_type(data.decode('ascii')) if data
                      else self.default)
        return True

    def stop(self):
        """No longer kept: the watch ends at its next event, and reads
        ask ZooKeeper."""
        self._stopped = True
