"""The campaign: plan once, fan out one child job per target, wait, judge.

One giant flow per fleet does not scale (compiling 4,000 atoms took 40 s,
DESIGN.md section 3), so a campaign job only plans and coordinates: each
target becomes a small child job that any live conductor may claim. The
factories here are imported by name from the saved flow details, so a
conductor rebuilds exactly the flow that was posted.

What failure leaves (issue 9, DESIGN.md section 3 "Outcome rules"): a
campaign whose children failed ends failed *without reverting* (engines
run with TaskFlow's ``never_resolve``, jobs/runner.py): the plan's
results stay (the uploaded image tagged, the host disabled, the
certificates expired for housekeeping), the children that succeeded stay
succeeded. ``job resume`` (:func:`reset_for_resume`) runs again only what
did not succeed: the campaign from :class:`RunChildren` on, and each child
that did not succeed from its start. ``job cancel`` is the only way to
revert. The one automatic protection is the circuit breaker: once it
opens, :class:`RunChildren` runs the procedure's breaker action at once
(rotate-image: the image this job uploaded loses its tag) and records
what it did for ``job show``. Before a campaign reports success, the
procedure's scope check looks at the cloud once more.
"""

import collections
import time

from oslo_log import log as logging
from oslo_utils import timeutils
from taskflow import flow as flow_mod
from taskflow.patterns import linear_flow
from taskflow import states
from taskflow import task

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint import conf
from octavia_maint.flows import registry
from octavia_maint.jobs import children as children_mod
from octavia_maint.jobs import outcomes
from octavia_maint.jobs import persistence
from octavia_maint.runtime import context
from octavia_maint.runtime import throttle

LOG = logging.getLogger(__name__)
CONF = conf.CONF

# Seconds between two looks at the children's states.
WAIT_POLL_INTERVAL = 0.5
# Seconds between two checks that no unfinished child got lost (a board
# job trashed by a conductor error, a post that never reached ZooKeeper).
REDISPATCH_INTERVAL = 30.0


def campaign_flow_factory(procedure, params):
    """The campaign flow of ``procedure`` with validated ``params``."""
    flow = linear_flow.Flow(constants.CAMPAIGN_FLOW)
    flow.add(registry.get(procedure).get_plan_flow(params))
    flow.add(*_acting_atoms(procedure, params))
    return flow


def _acting_atoms(procedure, params):
    """The campaign's atoms after its plan, in order: what ``job resume``
    runs again (all but the first)."""
    proc = registry.get(procedure)
    atoms = [
        MarkChildrenStarted(name=constants.CAMPAIGN_STARTED,
                            provides=constants.CHILDREN_STARTED_AT),
        RunChildren(name=constants.CAMPAIGN_RUN_CHILDREN,
                    provides=constants.CHILD_RESULTS,
                    requires=proc.child_inputs,
                    inject={constants.PROCEDURE: procedure},
                    breaker_action=proc.breaker_action(params))]
    finish = proc.get_finish_flow(params)
    if finish is not None:
        atoms.append(finish)
    atoms.append(CheckCampaignOutcome(name=constants.CAMPAIGN_CHECK_OUTCOME))
    check = proc.get_scope_check(params)
    if check is not None:
        atoms.append(check)
    return atoms


def _names(item):
    if isinstance(item, flow_mod.Flow):
        return {name for node, _ in item.iter_nodes()
                for name in _names(node)}
    return {item.name}


def reset_for_resume(store, job_id):
    """Make a failed (or cancelled) job run again what did not succeed.

    A campaign keeps its plan and its ``children_started_at`` and runs
    again from :class:`RunChildren`; each child that did not succeed
    (failed, not attempted, cancelled, given up) runs again from its
    start, as a new child would: its failover decision looks at the cloud
    first. Children that succeeded are read back, never run again.
    """
    meta = store.get_book(job_id).meta
    if meta.get('kind') != 'campaign':
        store.reset_atoms(job_id)
        return
    proc = registry.get(meta['procedure'])
    names = set()
    for atom in _acting_atoms(meta['procedure'], meta['params'])[1:]:
        names |= _names(atom)
    store.reset_atoms(job_id, names)
    plan = next((a.results for a in store.atoms(job_id)
                 if a.name == proc.plan_atom and a.results), [])
    child_ids = [persistence.child_id(job_id, t['id']) for t in plan
                 if t['action'] == constants.PLAN_RUN]
    for child, state in store.flow_states(child_ids).items():
        if (state in (states.FAILURE, states.REVERTED) or
                store.get_flow(child).meta.get('gave_up')):
            store.reset_atoms(child, everything=True)


def child_flow_factory(procedure, target_id):
    """The flow of one child job: the procedure's per-target flow."""
    return registry.get(procedure).get_target_flow(target_id)


class MarkChildrenStarted(task.Task):
    """Note when the campaign began acting on its targets (after its plan
    and gates): a scope check tells by it which amphorae came before.

    Kept by ``job resume``: the first start counts.
    """

    def execute(self):
        """:returns: the time, ISO 8601 UTC."""
        return timeutils.utcnow().isoformat()


class RunChildren(task.Task):
    """Run one child job per planned target and gather their outcomes.

    Children are created and posted in plan order, a window at a time
    (twice the failover throttle): the board stays small, so claiming
    stays cheap for every conductor however large the fleet, and the
    first failover starts seconds after posting. Safe to run again: a
    child's id derives from the campaign and target, so after a crash the
    children already created are found, finished ones are read back and
    unfinished ones are dispatched again if they got lost. Nothing to
    revert: children of a cancelled campaign see its cancel flag and
    revert themselves.

    Once the campaign's circuit breaker opens, it runs the procedure's
    ``breaker_action`` (again after a crash: the action is idempotent)
    and records what it did as the job's ``protection``.
    """

    def __init__(self, breaker_action=None, **kwargs):
        super().__init__(**kwargs)
        self._breaker_action = breaker_action

    def execute(self, job_id, procedure, targets, **child_inputs):
        """:returns: ``{child_id: {'outcome', 'reason'}}``."""
        job = context.current()
        proc = registry.get(procedure)
        # A target row's own ``inputs`` go to its child only (e.g. the
        # original dates of its amphorae), never to every child.
        specs = [(persistence.child_id(job_id, t['id']), t['id'],
                  dict(child_inputs, **t.get('inputs', {}),
                       **{proc.target_key: t['id'],
                          constants.CAMPAIGN_ID: job_id}))
                 for t in targets if t['action'] == constants.PLAN_RUN]
        window = throttle.campaign_window(
            CONF.throttle.max_concurrent_failovers)
        targets_of = {child: target for child, target, _ in specs}
        saved = job.store.flow_states([child for child, _, _ in specs])
        in_flight = {child for child, _, _ in specs if child in saved}
        to_start = collections.deque(s for s in specs if s[0] not in saved)
        results = {}
        next_redispatch = 0.0
        protect = self._protection(job, job_id, child_inputs)
        while in_flight or to_start:
            job.check_active()
            protect()
            batch = [to_start.popleft() for _ in range(
                min(len(to_start), window - len(in_flight)))]
            if batch:
                job.children.start(job_id, procedure, batch)
                in_flight.update(child for child, _, _ in batch)
            if time.monotonic() >= next_redispatch:
                job.children.dispatch_lost(in_flight)
                next_redispatch = time.monotonic() + REDISPATCH_INTERVAL
            for child, state in job.store.flow_states(in_flight).items():
                if state in children_mod.FINISHED:
                    results[child] = dict(outcomes.child_outcome(
                        job.store, child, state, proc.result_atom),
                        target=targets_of[child])
                    in_flight.discard(child)
            if in_flight or to_start:
                time.sleep(WAIT_POLL_INTERVAL)
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

    Read-only; the failure lists what failed and what is left. It reverts
    nothing (jobs/runner.py): the job stops, ``job resume`` goes on.
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
