"""One retry policy and one decorator for every call the facade makes.

Why: a fleet-wide campaign makes tens of thousands of API calls, and a
single 502 from a busy API must not fail a job; nor must an API that
answers 503 for a minute while it restarts, since a target the tool never
touched has nothing wrong with it. But a retry must never make a
non-idempotent call twice when the first may have taken effect: a second
failover of the same load balancer is a second outage. So each facade
method declares whether it is idempotent:

* idempotent calls (reads, tag changes, service enable/disable, which set an
  absolute state) are retried on every transient error;
* other calls (failover, configure, create, delete) are retried only when
  :func:`.errors.was_surely_not_applied` holds: the connection was never
  made, or the server refused with 503/429 before acting.

Backoff is exponential with full jitter (so conductors that hit the same
failure do not retry in lockstep), at most ``[cloud] api_retry_max_delay``
apart, for at most ``api_retry_seconds`` (and ``api_retries`` retries, if
set). Errors are translated into ours after the last attempt: an API still
answering 5xx then raises ``CloudUnavailable`` naming the status and API.

Each method that changes the cloud also declares so (``changes``): before
each attempt the decorator tells the current job's change observer (see
:func:`observe_changes`), so that the job knows whether it ever acted on
its target when it later meets an unavailable API.
"""

import contextlib
import contextvars
import functools
import inspect
import logging
import time

import tenacity

from octavia_maint.cloud import errors

LOG = logging.getLogger(__name__)

# Backoff of the first retry, in seconds; it doubles on every further one.
FIRST_DELAY = 0.5


# Who hears of the changes the facade is about to make, in this context
# (the job running in this thread); see observe_changes().
_CHANGE_OBSERVER = contextvars.ContextVar('octavia_maint_change_observer',
                                          default=None)


@contextlib.contextmanager
def observe_changes(observer):
    """Call ``observer(call_name, resource_id)`` before every attempt of a
    facade call that changes the cloud, within this context.

    Why: whether a job may call a target *not attempted* after the API
    went away depends on whether it ever sent a change for it; only the
    facade sees every change, and the job runner sees the job. The
    observer is called before the request is sent, so a crash between the
    two can only over-report a change, never hide one. An error it raises
    stops the call.
    """
    token = _CHANGE_OBSERVER.set(observer)
    try:
        yield
    finally:
        _CHANGE_OBSERVER.reset(token)


class RetryPolicy:
    """How often, for how long and how far apart one API call is tried."""

    def __init__(self, retries=None, max_delay=8.0, seconds=120.0,
                 sleep=time.sleep, clock=time.monotonic):
        """:param retries: at most this many retries; None: no count limit.
        :param max_delay: longest backoff between two attempts, seconds.
        :param seconds: no attempt starts later than this after the first.
        """
        self.retries = retries
        self.max_delay = max_delay
        self.seconds = seconds
        self._sleep = sleep
        self._clock = clock

    @classmethod
    def from_conf(cls, conf):
        return cls(retries=conf.cloud.api_retries,
                   max_delay=conf.cloud.api_retry_max_delay,
                   seconds=conf.cloud.api_retry_seconds)

    def call(self, fn, name, idempotent=True):
        """Call ``fn()``, retrying it on the errors the policy allows.

        :param name: what is being called, for the log.
        :param idempotent: whether ``fn`` may be repeated after any
            transient error (see the module docstring).
        :returns: what ``fn`` returns; the last error is re-raised as is.
        """
        retryable = (errors.is_transient if idempotent
                     else errors.was_surely_not_applied)
        started = self._clock()
        # Nearly every call succeeds at once: the retry machinery is built
        # only for one that does not (profiled, issue 13: building it for
        # every poll was a few per cent of a conductor's CPU). It replays
        # that first failure as its own first attempt, so counts, waits
        # and log lines are those of a retry from the start.
        try:
            return fn()
        except Exception as e:
            if not retryable(e):
                raise
            first_failure = [e]

        def attempt():
            if first_failure:
                raise first_failure.pop()
            return fn()

        stops = [self._out_of_time(started)]
        if self.retries is not None:
            stops.append(tenacity.stop_after_attempt(self.retries + 1))
        retrying = tenacity.Retrying(
            stop=tenacity.stop_any(*stops),
            wait=tenacity.wait_random_exponential(
                multiplier=min(FIRST_DELAY, self.max_delay),
                max=self.max_delay),
            retry=tenacity.retry_if_exception(retryable),
            sleep=self._sleep,
            before_sleep=functools.partial(self._log_retry, name, started),
            reraise=True)
        return retrying(attempt)

    def _out_of_time(self, started):
        """Stop when the next attempt would start past ``seconds``."""
        def stop(retry_state):
            return (self._clock() - started + retry_state.upcoming_sleep
                    > self.seconds)
        return stop

    def _log_retry(self, name, started, retry_state):
        # One WARNING per call that needs retries, the rest DEBUG: an
        # outage meets every running job, and each retries for minutes.
        # The library's own text would do here, but openstacksdk words a
        # 503 of a GET "No LoadBalancer found for ...": say what happened.
        first = retry_state.attempt_number == 1
        LOG.log(logging.WARNING if first else logging.DEBUG,
                "%s: %s; retry %d in %.2fs (retrying for up to %ss, "
                "%.0fs so far)", name,
                errors.describe(retry_state.outcome.exception()),
                retry_state.attempt_number, retry_state.next_action.sleep,
                self.seconds, self._clock() - started)


def api_call(resource, id_arg=None, idempotent=True, api=None,
             changes=None):
    """Decorate a facade method: retry it per policy, translate its errors.

    The method runs whole inside each attempt, so a listing is consumed
    (every page fetched) inside the retry. The instance must have a
    ``_retry_policy`` (:class:`RetryPolicy`).

    :param resource: resource name for error messages (``'Amphora'``).
    :param id_arg: name of the method's parameter holding the resource id.
    :param idempotent: see the module docstring.
    :param api: the API serving it, for error messages
        (``'load-balancer (Octavia)'``).
    :param changes: whether the call changes the cloud; by default the
        calls that are not idempotent do.
    """
    changes = (not idempotent) if changes is None else changes

    def decorate(method):
        signature = inspect.signature(method)

        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            resource_id = None
            if id_arg:
                bound = signature.bind(self, *args, **kwargs)
                resource_id = bound.arguments.get(id_arg)
            attempt = functools.partial(method, self, *args, **kwargs)
            if changes:
                attempt = functools.partial(_announced, attempt,
                                            method.__name__, resource_id)
            with errors.translated(resource, resource_id, api=api):
                return self._retry_policy.call(
                    attempt, method.__name__, idempotent=idempotent)
        return wrapper
    return decorate


def announce_change(name, resource_id=None):
    """Tell this context's change observer that a change is about to be
    sent (see :func:`observe_changes`); facade code that changes the cloud
    without :func:`api_call` (Octavia's database) calls it itself."""
    observer = _CHANGE_OBSERVER.get()
    if observer is not None:
        observer(name, resource_id)


def _announced(attempt, name, resource_id):
    """Tell the change observer, then make one attempt of a change."""
    announce_change(name, resource_id)
    return attempt()
