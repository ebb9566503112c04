"""What ``job resume`` resets so a failed job runs again what did not
succeed (DESIGN.md section 3, "Outcome rules")."""

from taskflow import flow as flow_mod
from taskflow import states

from octavia_maint.common import constants
from octavia_maint.flows import registry
from octavia_maint.jobs import factories
from octavia_maint.jobs import persistence


def reset_for_resume(store, job_id):
    """Make a failed (or cancelled) job run again what did not succeed.

    A campaign keeps its plan and its ``children_started_at`` and runs
    again every atom after ``CAMPAIGN_STARTED``; each child that did not
    succeed (failed, not attempted, cancelled, given up) runs again from
    its start, as a new child would: its failover decision looks at the
    cloud first. Children that succeeded are read back, never run again.
    """
    meta = store.get_book(job_id).meta
    if meta.get('kind') != 'campaign':
        store.reset_atoms(job_id)
        return
    store.reset_atoms(job_id, _after_start(
        factories.rebuild(store.get_flow(job_id))))
    plan_atom = registry.get(meta['procedure']).plan_atom
    plan = next((a.results for a in store.atoms(job_id)
                 if a.name == plan_atom and a.results), [])
    child_ids = [persistence.child_id(job_id, t['id']) for t in plan
                 if t['action'] == constants.PLAN_RUN]
    for child, state in store.flow_states(child_ids).items():
        if (state in (states.FAILURE, states.REVERTED) or
                store.get_flow(child).meta.get('gave_up')):
            store.reset_atoms(child, everything=True)


def _after_start(campaign):
    """Names of the atoms after ``CAMPAIGN_STARTED`` in a campaign flow
    (a linear flow, flows/campaign.py)."""
    names, started = set(), False
    for item in campaign:
        if started:
            names |= _names(item)
        started = started or item.name == constants.CAMPAIGN_STARTED
    return names


def _names(item):
    if isinstance(item, flow_mod.Flow):
        return {name for node, _ in item.iter_nodes()
                for name in _names(node)}
    return {item.name}
