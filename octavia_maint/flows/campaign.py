"""The campaign flow: plan once, fan out one child job per target, judge.

One giant flow per fleet does not scale (compiling 4,000 atoms took 40 s,
DESIGN.md section 3), so a campaign job only plans and coordinates: each
target becomes a small child job that any live conductor may claim. The
factories here are imported by name from the saved flow details
(jobs/factories.py), so a conductor rebuilds exactly the flow that was
posted; atom names never change, saved state is matched by them.

What failure leaves (issue 9, DESIGN.md section 3 "Outcome rules"): a
campaign whose children failed ends failed *without reverting* (engines
run with TaskFlow's ``never_resolve``, jobs/runner.py): the plan's
results stay (the uploaded image tagged, the host disabled, the
certificates expired for housekeeping), the children that succeeded stay
succeeded. ``job resume`` (jobs/resume.py) runs again only what did not
succeed: every atom after ``CAMPAIGN_STARTED``, and each child that did
not succeed from its start. ``job cancel`` is the only way to revert.
The one automatic protection is the circuit breaker: once it opens,
:class:`~octavia_maint.tasks.campaign_tasks.RunChildren` runs the
procedure's breaker action at once (rotate-image: the image this job
uploaded loses its tag) and records what it did for ``job show``. Before
a campaign reports success, the procedure's scope check looks at the
cloud once more.
"""

from taskflow.patterns import linear_flow

from octavia_maint.common import constants
from octavia_maint.flows import registry
from octavia_maint.tasks import campaign_tasks


def campaign_flow_factory(procedure, params):
    """The campaign flow of ``procedure`` with validated ``params``.

    A linear flow: the procedure's plan, ``CAMPAIGN_STARTED``, then what
    ``job resume`` runs again (jobs/resume.py relies on this order).
    """
    proc = registry.get(procedure)
    flow = linear_flow.Flow(constants.CAMPAIGN_FLOW)
    flow.add(proc.get_plan_flow(params))
    flow.add(campaign_tasks.MarkChildrenStarted(
        name=constants.CAMPAIGN_STARTED,
        provides=constants.CHILDREN_STARTED_AT))
    flow.add(campaign_tasks.RunChildren(
        name=constants.CAMPAIGN_RUN_CHILDREN,
        provides=constants.CHILD_RESULTS,
        requires=proc.child_inputs,
        inject={constants.PROCEDURE: procedure},
        target_key=proc.target_key, result_atom=proc.result_atom,
        breaker_action=proc.breaker_action(params)))
    finish = proc.get_finish_flow(params)
    if finish is not None:
        flow.add(finish)
    flow.add(campaign_tasks.CheckCampaignOutcome(
        name=constants.CAMPAIGN_CHECK_OUTCOME))
    check = proc.get_scope_check(params)
    if check is not None:
        flow.add(check)
    return flow


def child_flow_factory(procedure, target_id):
    """The flow of one child job: the procedure's per-target flow."""
    return registry.get(procedure).get_target_flow(target_id)
