"""The campaign's own tasks: mark the start, run the children, judge.

A campaign job only plans and coordinates (flows/campaign.py); these
tasks do the coordinating. They reach the children through the job
context (``job.children``, jobs/children.py), never through the job
board or the database themselves.
"""

import collections
import datetime
import time

from oslo_log import log as logging
from oslo_utils import timeutils
from taskflow import task

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.common import waiting
from octavia_maint import conf
from octavia_maint.runtime import context

LOG = logging.getLogger(__name__)
CONF = conf.CONF

# Seconds between two looks at the children's states, at most; and the
# fraction of the shortest recent failover between two looks, at least.
WAIT_POLL_INTERVAL = 0.5
LOOK_FRACTION = 0.25
# Seconds between two checks that no unfinished child got lost (a board
# job trashed by a conductor error, a post that never reached ZooKeeper).
REDISPATCH_INTERVAL = 30.0
# Children a campaign keeps in flight (posted, not finished): this many
# per failover throttle slot, and at least MIN_CAMPAIGN_WINDOW.
CAMPAIGN_WINDOW_FACTOR = 2
MIN_CAMPAIGN_WINDOW = 8


def campaign_window(max_concurrent):
    """How many children a campaign runs at once, for a throttle of
    ``max_concurrent`` slots: enough to keep every slot busy, few enough
    that the board stays small."""
    return max(MIN_CAMPAIGN_WINDOW, CAMPAIGN_WINDOW_FACTOR * max_concurrent)


def look_interval(durations, configured):
    """Seconds between two looks at the children: ``WAIT_POLL_INTERVAL``,
    or as often as the cloud is polled (``configured``) where that is
    more often, a rehearsal's sped-up clock, but not more than a few
    times per failover (``LOOK_FRACTION``).

    Each look reads the state of every child in flight. The window keeps
    two children per slot, so looking a few times per failover still
    finds one waiting for every slot that frees; looking at every poll
    of a fast cloud cost a conductor 3 % of its CPU (issue 13).
    """
    return min(WAIT_POLL_INTERVAL,
               max(configured, LOOK_FRACTION * durations.shortest()))


def startable(room, batch_size, waiting):
    """How many of ``waiting`` children to start with ``room`` left in
    the window: whole batches of ``batch_size`` only (each is one board
    job; a child or two at a time as others finish would pay a board job
    for each), the last one smaller."""
    size = max(1, min(batch_size, waiting))
    return min(waiting, room - room % size)


class MarkChildrenStarted(task.Task):
    """Note when the campaign began acting on its targets (after its plan
    and gates): a scope check tells by it which amphorae came before.

    Octavia's API gives ``created_at`` to the second, so for a procedure
    whose scope check compares it (``Procedure.compares_creation_times``)
    the mark is a whole second, waited for: an amphora created before it
    shows an earlier second, and one a child's failover creates (after
    it) shows that second or a later one, with no second shared by both.
    For the others the mark is the moment itself: waiting for the next
    second would only delay the first failover (issue 13).

    Safe to run again: it only returns the time. Kept by ``job resume``
    (the first start counts); nothing to revert.
    """

    def __init__(self, whole_second=False, **kwargs):
        super().__init__(**kwargs)
        self._whole_second = whole_second

    def execute(self):
        """:returns: the mark, ISO 8601 UTC, once it came."""
        now = timeutils.utcnow()
        if not self._whole_second:
            return now.isoformat()
        mark = now.replace(microsecond=0) + datetime.timedelta(seconds=1)
        time.sleep((mark - now).total_seconds())
        return mark.isoformat()


class RunChildren(task.Task):
    """Run one child job per planned target and gather their outcomes.

    Children are created and posted in plan order, a window at a time
    (:func:`campaign_window`), in whole batches (:func:`startable`,
    ``children.batch_size`` to a board job): the board stays small, so
    claiming stays cheap for every conductor however large the fleet,
    and the first failover starts seconds after posting. Safe to run
    again: a child's id derives from the campaign and target, so after a
    crash the children already created are found, finished ones are read
    back and unfinished ones are dispatched again if they got lost.
    Nothing to revert: children of a cancelled campaign see its cancel
    flag and revert themselves.

    Once the campaign's circuit breaker opens, it runs the procedure's
    ``breaker_action`` (again after a crash: the action is idempotent)
    and records what it did as the job's ``protection``.
    """

    def __init__(self, target_key, result_atom, breaker_action=None,
                 **kwargs):
        """:param target_key: the store key a child gets its target under.
        :param result_atom: the child atom whose result is the outcome.
        :param breaker_action: ``(cloud, job_id, child_inputs) -> str``.
        """
        super().__init__(**kwargs)
        self._target_key = target_key
        self._result_atom = result_atom
        self._breaker_action = breaker_action

    def execute(self, job_id, procedure, targets, **child_inputs):
        """:returns: ``{child_id: {'outcome', 'reason', 'target'}}``."""
        job = context.current()
        children = job.children
        # A target row's own ``inputs`` go to its child only (e.g. the
        # original dates of its amphorae), never to every child.
        specs = [(children.child_id(job_id, t['id']), t['id'],
                  dict(child_inputs, **t.get('inputs', {}),
                       **{self._target_key: t['id'],
                          constants.CAMPAIGN_ID: job_id}))
                 for t in targets if t['action'] == constants.PLAN_RUN]
        window = campaign_window(CONF.throttle.max_concurrent_failovers)
        targets_of = {child: target for child, target, _ in specs}
        saved = children.saved([child for child, _, _ in specs])
        in_flight = {child for child, _, _ in specs if child in saved}
        to_start = collections.deque(s for s in specs if s[0] not in saved)
        results = {}
        next_redispatch = 0.0
        protect = self._protection(job, job_id, child_inputs)

        def look():
            """Start what the window has room for, post lost children
            again now and then, gather the finished; True when all are."""
            nonlocal next_redispatch
            protect()
            batch = [to_start.popleft() for _ in range(startable(
                window - len(in_flight), children.batch_size,
                len(to_start)))]
            if batch:
                children.start(job_id, procedure, batch)
                in_flight.update(child for child, _, _ in batch)
            if time.monotonic() >= next_redispatch:
                children.dispatch_lost(in_flight)
                next_redispatch = time.monotonic() + REDISPATCH_INTERVAL
            for child, outcome in children.finished(
                    in_flight, self._result_atom).items():
                results[child] = dict(outcome, target=targets_of[child])
                in_flight.discard(child)
            return not (in_flight or to_start)

        if in_flight or to_start:
            waiting.wait_until(look, interval=lambda: look_interval(
                job.failover_durations, CONF.cloud.status_poll_interval),
                check=job.check_active)
        protect()
        LOG.info('Campaign %s: all %d children finished', job_id,
                 len(results))
        return results

    def _protection(self, job, job_id, child_inputs):
        """A callable running the breaker action once the breaker opens."""
        if self._breaker_action is None:
            return lambda: None
        breaker = job.breaker(job_id, CONF.throttle.max_failures)
        done = []

        def protect():
            if done or not breaker.is_open():
                return
            try:
                note = self._breaker_action(job.cloud, job_id, child_inputs)
            except Exception:
                # Tried again at the next look at the children.
                LOG.exception('Campaign %s: the circuit breaker action '
                              'failed', job_id)
                return
            done.append(True)
            if note:
                LOG.warning('Campaign %s: %s', job_id, note)
                job.record(protection=note)
        return protect


class CheckCampaignOutcome(task.Task):
    """Fail the campaign when a child failed or was not attempted.

    Read-only, so safe to run again; the failure lists what failed and
    what is left. Nothing to revert (jobs/runner.py): the job stops,
    ``job resume`` goes on.
    """

    def execute(self, child_results):
        bad = {c: r for c, r in child_results.items()
               if r['outcome'] not in (constants.OUTCOME_SUCCEEDED,
                                       constants.OUTCOME_SKIPPED)}
        if bad:
            failed = sum(r['outcome'] == constants.OUTCOME_FAILED
                         for r in bad.values())
            raise exceptions.CampaignFailed(
                failed=failed, left=len(bad) - failed,
                total=len(child_results))
