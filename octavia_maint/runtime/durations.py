"""How long failovers take here, learnt from those this process saw.

Polling a failover that surely is not done yet only costs the cloud and
the conductor, so a task sleeps through most of a typical one before it
looks (``common.waiting``'s delay). What is typical is learnt across the
jobs of a process, not within one: a child job fails over one load
balancer. So one instance is shared by every job a backend runs, through
the job context (``runtime.context.JobContext.failover_durations``).
"""

import collections
import threading


class FailoverDurations:
    """The shortest of the recent failovers, and a quiet period from it.

    The quiet period is a fraction of the shortest recent failover, so a
    faster one is still seen within one poll interval.
    """

    QUIET_FRACTION = 0.8
    SAMPLES = 20

    def __init__(self):
        self._recent = collections.deque(maxlen=self.SAMPLES)
        # Job threads of one conductor record and read at the same time.
        self._lock = threading.Lock()

    def record(self, seconds):
        """One failover took ``seconds``, from its issue to ACTIVE."""
        with self._lock:
            self._recent.append(seconds)

    def quiet_period(self):
        """Seconds to wait before the first look at a new failover."""
        with self._lock:
            return self.QUIET_FRACTION * min(self._recent, default=0.0)


class NoFailoverHistory:
    """Where failover durations go outside a job: nowhere.

    A job backend gives its jobs one that keeps them per cloud in the
    persistence database (``jobs.history.FailoverHistory``), for the
    estimates of later dry runs and ETAs; tasks only ever call
    :meth:`record`.
    """

    def record(self, topology, seconds, campaign_id=None):
        """A failover of a ``topology`` load balancer took ``seconds``."""
