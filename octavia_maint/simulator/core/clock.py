"""A simulated clock that runs faster than the wall clock by a time scale.

Octavia's durations (a failover, a heartbeat timeout, a certificate's
validity) are minutes to weeks; tests cannot wait that long. Every duration
in the simulator is in simulated seconds and the clock runs ``scale`` times
faster than real time, so a 60 s failover at scale 60 takes one real second.
Timestamps the APIs report are simulated epoch seconds, anchored at the wall
clock when the clock was made.
"""

import threading
import time


class SimClock:
    """Simulated epoch seconds, ``scale`` times faster than the wall clock."""

    def __init__(self, scale=1.0, start=None, monotonic=time.monotonic):
        if scale <= 0:
            raise ValueError('time scale must be positive, got %r' % scale)
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._scale = float(scale)
        self._anchor_sim = time.time() if start is None else float(start)
        self._anchor_real = monotonic()

    @property
    def scale(self):
        return self._scale

    def now(self):
        """The current simulated time, in epoch seconds."""
        with self._lock:
            return self._now_locked()

    def _now_locked(self):
        elapsed = self._monotonic() - self._anchor_real
        return self._anchor_sim + elapsed * self._scale

    def set_scale(self, scale):
        """Change the speed from now on; the current time stays continuous."""
        if scale <= 0:
            raise ValueError('time scale must be positive, got %r' % scale)
        with self._lock:
            self._anchor_sim = self._now_locked()
            self._anchor_real = self._monotonic()
            self._scale = float(scale)

    def advance(self, seconds):
        """Jump forward by ``seconds`` of simulated time (never backwards)."""
        if seconds < 0:
            raise ValueError('cannot move the clock backwards')
        with self._lock:
            self._anchor_sim += seconds
