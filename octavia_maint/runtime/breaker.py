"""The campaign circuit breaker: stop failing over after N failures.

A campaign's children run on many conductors, so the failure count of a
campaign is shared: a kazoo ``Counter`` on a job board, a plain counter
in local mode. Children check the breaker before issuing a failover and
count a failure when one ends in ERROR or times out.
"""

import threading

from kazoo.recipe import counter as kazoo_counter


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
    """Breakers shared through ZooKeeper counters under ``path``."""

    def __init__(self, client, path):
        self._client = client
        self._path = path

    def get(self, campaign_id, limit):
        counter = _RetriedCounter(self._client,
                                  '%s/%s' % (self._path, campaign_id))
        return Breaker(campaign_id, limit, counter)


class _RetriedCounter(kazoo_counter.Counter):
    """kazoo's Counter, whose reads also wait out a ZooKeeper restart.

    kazoo retries a change but not a read; a read cut off by a restart
    would fail the failover step that asked whether the breaker is open.
    """

    @property
    def value(self):
        read = kazoo_counter.Counter.value.fget
        return self.client.retry(read, self)
