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
    """The shortest of the recent failovers, and the pace of polls from it.

    The quiet period is most of the shortest recent failover, so a faster
    one is still seen soon after; the polls after it come at a small
    fraction of that failover, or the configured interval if longer. A
    poll costs the conductor an API call's CPU and the cloud a request,
    and each poll before the end is wasted: profiled (issue 13), polls
    were a third of a failover's API calls.
    """

    QUIET_FRACTION = 0.95
    POLL_FRACTION = 0.05
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
        return self.QUIET_FRACTION * self.shortest()

    def poll_interval(self, configured):
        """Seconds between two looks at a failover after the quiet
        period: ``configured`` (``[cloud] status_poll_interval``), or
        ``POLL_FRACTION`` of the shortest recent failover if longer."""
        return max(configured, self.POLL_FRACTION * self.shortest())

    def shortest(self):
        """Seconds of the shortest recent failover; 0 before the first."""
        with self._lock:
            return min(self._recent, default=0.0)


class NoFailoverHistory:
    """Where failover durations go outside a job: nowhere.

    A job backend gives its jobs one that keeps them per cloud in the
    persistence database (``jobs.history.FailoverHistory``), for the
    estimates of later dry runs and ETAs; tasks only ever call
    :meth:`record`.
    """

    def record(self, topology, seconds, campaign_id=None):
        """A failover of a ``topology`` load balancer took ``seconds``."""
