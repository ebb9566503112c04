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

With ``--canary N`` a canary wave comes first (tasks/canary_tasks.py):
the same children, for N chosen targets only, then a check of them and
a gate (or, with ``--canary-soak``, a watch of them); the run of every
child that follows finds the canaries' children finished and reads them
back, so ``job show`` and the outcome count them with the rest, and
``job resume`` runs the wave again like any step after the start (the
canaries that succeeded are read back, a released gate stays released).
"""

from taskflow.patterns import linear_flow

from octavia_maint.common import constants
from octavia_maint.flows import registry
from octavia_maint.tasks import campaign_tasks
from octavia_maint.tasks import canary_tasks
from octavia_maint.tasks import gate_tasks


def campaign_flow_factory(procedure, params):
    """The campaign flow of ``procedure`` with validated ``params``.

    A linear flow: the procedure's plan, ``CAMPAIGN_STARTED``, then what
    ``job resume`` runs again (jobs/resume.py relies on this order).
    """
    proc = registry.get(procedure)
    flow = linear_flow.Flow(constants.CAMPAIGN_FLOW)
    flow.add(proc.get_plan_flow(params))
    flow.add(campaign_tasks.MarkChildrenStarted(
        whole_second=proc.compares_creation_times,
        name=constants.CAMPAIGN_STARTED,
        provides=constants.CHILDREN_STARTED_AT))
    if params.get('canary'):
        flow.add(_canary_flow(proc, params))
    flow.add(_run_children(proc, params, constants.CAMPAIGN_RUN_CHILDREN,
                           provides=constants.CHILD_RESULTS))
    finish = proc.get_finish_flow(params)
    if finish is not None:
        flow.add(finish)
    flow.add(campaign_tasks.CheckCampaignOutcome(
        name=constants.CAMPAIGN_CHECK_OUTCOME))
    check = proc.get_scope_check(params)
    if check is not None:
        flow.add(check)
    return flow


def _run_children(proc, params, name, **kwargs):
    return campaign_tasks.RunChildren(
        name=name, requires=proc.child_inputs,
        inject=dict(proc.child_params(params),
                    **{constants.PROCEDURE: proc.name}),
        target_key=proc.target_key, result_atom=proc.result_atom,
        breaker_action=proc.breaker_action(params), **kwargs)


def _canary_flow(proc, params):
    """Choose the canaries, run their children, check them, then wait at
    the gate or watch them for ``--canary-soak`` seconds."""
    flow = linear_flow.Flow(constants.CAMPAIGN_CANARY_FLOW)
    child_params = proc.child_params(params)
    flow.add(
        canary_tasks.SelectCanaries(
            name=constants.CAMPAIGN_SELECT_CANARIES,
            provides=constants.CANARY_TARGETS,
            inject={constants.CANARY_COUNT: params['canary']}),
        _run_children(proc, params, constants.CAMPAIGN_RUN_CANARIES,
                      provides=constants.CANARY_RESULTS,
                      rebind={constants.TARGETS: constants.CANARY_TARGETS}),
        canary_tasks.CheckCanaries(
            name=constants.CAMPAIGN_CHECK_CANARIES,
            provides=(constants.CANARY_TREES, constants.CANARY_SUMMARY),
            requires=proc.child_inputs, inject=child_params,
            subject=lambda inputs: proc.canary_subject(params, inputs),
            breaker_action=proc.breaker_action(params)))
    soak = params.get('canary_soak')
    if soak is None:
        flow.add(gate_tasks.WaitForOperator(
            name=constants.CAMPAIGN_CANARY_GATE,
            inject={constants.GATE: 'canaries'},
            rebind={constants.INSTRUCTIONS: constants.CANARY_SUMMARY}))
    # After the gate too: the canaries must still serve when the rest go.
    flow.add(canary_tasks.SoakCanaries(
        name=constants.CAMPAIGN_SOAK_CANARIES, requires=proc.child_inputs,
        inject=dict(child_params, **{constants.CANARY_SOAK: soak or 0}),
        breaker_action=proc.breaker_action(params)))
    return flow


def child_flow_factory(procedure, target_id):
    """The flow of one child job: the procedure's per-target flow."""
    return registry.get(procedure).get_target_flow(target_id)
