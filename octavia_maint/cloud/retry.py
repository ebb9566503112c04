"""One retry policy and one decorator for every call the facade makes.

Why: a fleet-wide campaign makes tens of thousands of API calls, and a
single 502 from a busy API must not fail a job. But a retry must never make
a non-idempotent call twice when the first may have taken effect: a second
failover of the same load balancer is a second outage. So each facade method
declares whether it is idempotent:

* idempotent calls (reads, tag changes, service enable/disable, which set an
  absolute state) are retried on every transient error;
* other calls (failover, configure, create, delete) are retried only when
  :func:`.errors.was_surely_not_applied` holds: the connection was never
  made, or the server refused with 503/429 before acting.

Backoff is exponential with full jitter, bounded by ``[cloud] api_retries``
and ``api_retry_max_delay``, so conductors that hit the same failure do not
retry in lockstep. Errors are translated into ours after the last attempt.
"""

import functools
import inspect
import logging
import time

import tenacity

from octavia_maint.cloud import errors

LOG = logging.getLogger(__name__)

# Backoff of the first retry, in seconds; it doubles on every further one.
FIRST_DELAY = 0.5


class RetryPolicy:
    """How often, and after how long, one API call is tried again."""

    def __init__(self, retries, max_delay, sleep=time.sleep):
        self.retries = retries
        self.max_delay = max_delay
        self._sleep = sleep

    @classmethod
    def from_conf(cls, conf):
        return cls(conf.cloud.api_retries, conf.cloud.api_retry_max_delay)

    def call(self, fn, name, idempotent=True):
        """Call ``fn()``, retrying it on the errors the policy allows.

        :param name: what is being called, for the log.
        :param idempotent: whether ``fn`` may be repeated after any
            transient error (see the module docstring).
        :returns: what ``fn`` returns; the last error is re-raised as is.
        """
        retryable = (errors.is_transient if idempotent
                     else errors.was_surely_not_applied)
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.retries + 1),
            wait=tenacity.wait_random_exponential(
                multiplier=min(FIRST_DELAY, self.max_delay),
                max=self.max_delay),
            retry=tenacity.retry_if_exception(retryable),
            sleep=self._sleep,
            before_sleep=functools.partial(self._log_retry, name),
            reraise=True)
        return retrying(fn)

    def _log_retry(self, name, retry_state):
        LOG.warning("%s failed (%s); retry %d of %d in %.2fs", name,
                    retry_state.outcome.exception(),
                    retry_state.attempt_number, self.retries,
                    retry_state.next_action.sleep)


def api_call(resource, id_arg=None, idempotent=True):
    """Decorate a facade method: retry it per policy, translate its errors.

    The method runs whole inside each attempt, so a listing is consumed
    (every page fetched) inside the retry. The instance must have a
    ``_retry_policy`` (:class:`RetryPolicy`).

    :param resource: resource name for error messages (``'Amphora'``).
    :param id_arg: name of the method's parameter holding the resource id.
    :param idempotent: see the module docstring.
    """
    def decorate(method):
        signature = inspect.signature(method)

        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            resource_id = None
            if id_arg:
                bound = signature.bind(self, *args, **kwargs)
                resource_id = bound.arguments.get(id_arg)
            attempt = functools.partial(method, self, *args, **kwargs)
            with errors.translated(resource, resource_id):
                return self._retry_policy.call(
                    attempt, method.__name__, idempotent=idempotent)
        return wrapper
    return decorate
