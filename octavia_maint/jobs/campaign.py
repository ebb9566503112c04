"""The campaign: plan once, fan out one child job per target, wait, judge.

One giant flow per fleet does not scale (compiling 4,000 atoms took 40 s,
DESIGN.md section 3), so a campaign job only plans and coordinates: each
target becomes a small child job that any live conductor may claim. The
factories here are imported by name from the saved flow details, so a
conductor rebuilds exactly the flow that was posted.
"""

import time

from oslo_log import log as logging
from taskflow.patterns import linear_flow
from taskflow import task

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.flows import registry
from octavia_maint.jobs import children as children_mod
from octavia_maint.jobs import outcomes
from octavia_maint.runtime import context

LOG = logging.getLogger(__name__)

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
    flow.add(PostChildren(name=constants.CAMPAIGN_POST_CHILDREN,
                          provides=constants.CHILDREN,
                          requires=proc.child_inputs,
                          inject={constants.PROCEDURE: procedure}))
    flow.add(WaitForChildren(name=constants.CAMPAIGN_WAIT_CHILDREN,
                             provides=constants.CHILD_RESULTS,
                             inject={constants.PROCEDURE: procedure}))
    flow.add(CheckCampaignOutcome(name=constants.CAMPAIGN_CHECK_OUTCOME))
    return flow


def child_flow_factory(procedure, target_id):
    """The flow of one child job: the procedure's per-target flow."""
    return registry.get(procedure).get_target_flow(target_id)


class PostChildren(task.Task):
    """Post one child job per planned target.

    Safe to run again: children are found by their derived ids and only
    missing or unfinished ones are posted. Nothing to revert: children of
    a cancelled campaign see its cancel flag and revert themselves.
    """

    def execute(self, job_id, procedure, targets, **child_inputs):
        """:returns: the child job ids."""
        proc = registry.get(procedure)
        specs = [(t['id'], dict(child_inputs, **{
                     proc.target_key: t['id'],
                     constants.CAMPAIGN_ID: job_id}))
                 for t in targets if t['action'] == constants.PLAN_RUN]
        return context.current().children.ensure_posted(job_id, procedure,
                                                         specs)


class WaitForChildren(task.Task):
    """Wait until every child finished; gather their outcomes.

    Read-only towards the cloud, so safe to run again; it checks the
    campaign's cancel flag between two looks, so a cancel stops it.
    """

    def execute(self, job_id, procedure, children):
        """:returns: ``{child_id: {'outcome', 'reason'}}``."""
        job = context.current()
        result_atom = registry.get(procedure).result_atom
        pending = list(children)
        results = {}
        next_redispatch = 0.0
        while pending:
            job.check_active()
            if time.monotonic() >= next_redispatch:
                # After a crash, an interrupted local run or a lost board
                # job, unfinished children that are nowhere are dispatched
                # again; finished and queued ones are left alone.
                job.children.dispatch_unfinished(pending)
                next_redispatch = time.monotonic() + REDISPATCH_INTERVAL
            states_now = job.children.states(pending)
            still = []
            for child in pending:
                state = states_now.get(child)
                if state in children_mod.FINISHED:
                    results[child] = outcomes.child_outcome(
                        job.store, child, state, result_atom)
                else:
                    still.append(child)
            if len(still) != len(pending):
                LOG.debug('Campaign %s: %d of %d children finished', job_id,
                          len(results), len(children))
            pending = still
            if pending:
                time.sleep(WAIT_POLL_INTERVAL)
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
