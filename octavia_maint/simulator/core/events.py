"""Timed callbacks on the simulated clock, kept in a heap.

Transitions (a failover finishing, a certificate rotating, a stale amphora
being failed over) are scheduled once and fired when due, so advancing time
costs only the events that are due: a fleet of 10,000 load balancers is not
scanned on every request. The owner calls :meth:`EventQueue.run_due` under
its lock on every request and from a background ticker.
"""

import heapq
import itertools
import logging

LOG = logging.getLogger(__name__)


class EventQueue:
    """Callbacks due at simulated times, fired in time order."""

    def __init__(self, clock):
        self._clock = clock
        self._heap = []
        self._seq = itertools.count()

    def call_at(self, when, callback, *args):
        """Run ``callback(*args)`` once the simulated time is ``when``."""
        heapq.heappush(self._heap, (when, next(self._seq), callback, args))
        return when

    def call_later(self, delay, callback, *args):
        """Run ``callback(*args)`` ``delay`` simulated seconds from now."""
        return self.call_at(self._clock.now() + max(0.0, delay),
                            callback, *args)

    def run_due(self):
        """Fire every event that is due, including ones they schedule.

        :returns: how many events ran.
        """
        ran = 0
        while self._heap and self._heap[0][0] <= self._clock.now():
            _when, _seq, callback, args = heapq.heappop(self._heap)
            try:
                callback(*args)
            except Exception:
                # One broken transition must not wedge every later request.
                LOG.exception("Simulator event %s failed",
                              getattr(callback, '__qualname__', callback))
            ran += 1
        if ran:
            LOG.debug("Ran %d due simulator events", ran)
        return ran
