"""The job context: the bridge from a running task to its job.

The job runner activates a context around ``engine.run()``. Engines are
serial, so every task of the job runs in that same thread and sees it
through a :class:`contextvars.ContextVar`. Outside a job (unit tests, a
task called by hand) the default context never cancels and does not
throttle.
"""

import contextlib
import contextvars
import datetime

from oslo_utils import timeutils

from octavia_maint.cloud import facade
from octavia_maint.cloud import retry
from octavia_maint import conf
from octavia_maint.runtime import breaker
from octavia_maint.runtime import durations
from octavia_maint.runtime import throttle


def open_cloud(config, connection=None):
    """The cloud facade jobs act through, from ``[cloud]`` of ``config``
    or over an openstacksdk ``connection`` the caller made.

    Job backends (jobs/backend.py) share one per process: one token, one
    HTTP pool for every job they run.
    """
    return facade.Cloud.from_conf(config, connection)


class JobContext:
    """Default context: no job board, nothing shared with other processes."""

    def __init__(self, job_id=None, cloud=None, failover_throttle=None,
                 breakers=None, failover_durations=None,
                 failover_history=None):
        self.job_id = job_id
        self._cloud = cloud
        self.throttle = failover_throttle or throttle.LocalThrottle()
        self._breakers = breakers or breaker.LocalBreakers()
        # Shared by the jobs of a backend (see runtime.durations).
        self.failover_durations = (
            durations.FailoverDurations() if failover_durations is None
            else failover_durations)
        # Where each finished failover's duration is kept for estimates.
        self.failover_history = (failover_history or
                                 durations.NoFailoverHistory())

    @property
    def cloud(self):
        """The cloud facade tasks of this job act through.

        Given by the job backend, which shares one connection (one token,
        one HTTP pool) between all jobs of a process; built from the
        configuration on first use otherwise.
        """
        if self._cloud is None:
            self._cloud = open_cloud(conf.CONF)
        return self._cloud

    def bind(self, engine):
        """The engine that runs this job; outside a job there is none."""

    def check_active(self, fresh=False):
        """Raise if this job must not take another step; ``fresh`` reads
        the cancel flag now rather than as of a second ago.

        :raises JobCancelled: the operator cancelled the job.
        :raises ClaimLost: another conductor owns the job now.
        """

    def cancelled(self, fresh=False):
        """Whether the operator cancelled this job (or its campaign), as
        of a second ago, or now with ``fresh``.

        Outside a job nobody can: False.
        """
        return False

    def record(self, **fields):
        """Save ``fields`` with this job for ``job show``; outside a job
        there is nowhere to save them."""

    @contextlib.contextmanager
    def waiting(self, what, timeout):
        """Say, for ``job show``, what this job waits for outside the tool
        (Octavia's housekeeping, an amphora's heartbeat), since when and
        until when, while the body waits for it.

        :param what: the words ``job show`` puts after "waiting for".
        :param timeout: seconds after which the wait gives up.
        """
        now = timeutils.utcnow()
        self.record(waiting_for='%s, since %s, until %s' % (
            what, now.isoformat(timespec='seconds'),
            (now + datetime.timedelta(seconds=timeout)).isoformat(
                timespec='seconds')))
        try:
            yield
        finally:
            self.record(waiting_for=None)

    def wait_at_gate(self, gate, instructions):
        """Return once the operator released ``gate`` for this job.

        Outside a job there is no operator to ask: return at once.
        """

    def note_change(self, call, resource_id, **fields):
        """The cloud facade (or a task) is about to send a change
        (``call``); ``fields`` are saved with the note, as by
        :meth:`record`, in one save.

        Outside a job nobody needs to know of the change.
        """
        if fields:
            self.record(**fields)

    def breaker(self, campaign_id, limit):
        """The circuit breaker shared by every child of ``campaign_id``."""
        return self._breakers.get(campaign_id, limit)


_CURRENT = contextvars.ContextVar('octavia_maint_job_context',
                                  default=JobContext())


def current():
    """The context of the job running in this thread."""
    return _CURRENT.get()


@contextlib.contextmanager
def activate(job_context):
    """Make ``job_context`` current for the duration of a job run, and let
    it hear of every change its tasks make through the cloud facade."""
    token = _CURRENT.set(job_context)
    try:
        with retry.observe_changes(job_context.note_change):
            yield job_context
    finally:
        _CURRENT.reset(token)
