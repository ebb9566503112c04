"""The campaign: plan once, fan out one child job per target, wait, judge.

One giant flow per fleet does not scale (compiling 4,000 atoms took 40 s,
DESIGN.md section 3), so a campaign job only plans and coordinates: each
target becomes a small child job that any live conductor may claim. The
factories here are imported by name from the saved flow details, so a
conductor rebuilds exactly the flow that was posted.
"""

import collections
import time

from oslo_log import log as logging
from taskflow.patterns import linear_flow
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
    proc = registry.get(procedure)
    flow = linear_flow.Flow(constants.CAMPAIGN_FLOW)
    flow.add(proc.get_plan_flow(params))
    flow.add(RunChildren(name=constants.CAMPAIGN_RUN_CHILDREN,
                         provides=constants.CHILD_RESULTS,
                         requires=proc.child_inputs,
                         inject={constants.PROCEDURE: procedure}))
    finish = proc.get_finish_flow(params)
    if finish is not None:
        flow.add(finish)
    flow.add(CheckCampaignOutcome(name=constants.CAMPAIGN_CHECK_OUTCOME))
    return flow


def child_flow_factory(procedure, target_id):
    """The flow of one child job: the procedure's per-target flow."""
    return registry.get(procedure).get_target_flow(target_id)


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
    """

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
        saved = job.store.flow_states([child for child, _, _ in specs])
        in_flight = {child for child, _, _ in specs if child in saved}
        to_start = collections.deque(s for s in specs if s[0] not in saved)
        results = {}
        next_redispatch = 0.0
        while in_flight or to_start:
            job.check_active()
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
                    results[child] = outcomes.child_outcome(
                        job.store, child, state, proc.result_atom)
                    in_flight.discard(child)
            if in_flight or to_start:
                time.sleep(WAIT_POLL_INTERVAL)
        LOG.info('Campaign %s: all %d children finished', job_id,
                 len(results))
        return results


class CheckCampaignOutcome(task.Task):
    """Fail the campaign when a child failed or was not attempted.

    Read-only; the failure lists what failed and what is left.
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
