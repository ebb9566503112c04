"""A finished job's outcome, read back from its saved atoms.

The job board forgets a job once consumed, and a failed flow still gets
consumed; what happened is read from persistence: the target result a
successful child returned, or the failure that made it revert.

A target is ``not-attempted`` (and ``job resume`` runs it again) when its
job did not act on it: the campaign's circuit breaker was open, or the
cloud's API was unavailable before the job sent any change for it (the
flow meta's ``ACTED`` is written before the first change is sent).
Once it acted, an unavailable API leaves the target ``failed``.
"""

from taskflow import states

from octavia_maint.common import constants
from octavia_maint.common import exceptions

# Flow meta key: the first change the job sent to the cloud, if any.
ACTED = 'acted'


def failure_reason(atoms):
    """The first execute failure among ``atoms``, or None."""
    for atom in atoms:
        if atom.failure is not None:
            return atom.failure
    return None


def child_outcomes(store, flow_states, result_atom):
    """``{child_id: {'outcome', 'reason'}}`` of many finished children,
    read in bulk (:meth:`JobStore.flow_details`)."""
    flows = store.flow_details(list(flow_states), result_atom)
    return {child: outcome_of(flows[child], state, result_atom)
            for child, state in flow_states.items() if child in flows}


def outcome_of(fd, flow_state, result_atom):
    """The outcome a finished flow detail ``fd`` (with its atoms) says."""
    if fd.meta.get('gave_up'):
        return {'outcome': constants.OUTCOME_FAILED,
                'reason': fd.meta['gave_up']}
    atoms = list(fd)
    if flow_state == states.SUCCESS:
        for atom in atoms:
            if atom.name == result_atom and atom.results:
                return {'outcome': atom.results['outcome'],
                        'reason': atom.results['reason']}
        return {'outcome': constants.OUTCOME_SUCCEEDED, 'reason': ''}
    failure = failure_reason(atoms)
    if failure is None:
        return {'outcome': constants.OUTCOME_FAILED,
                'reason': 'flow ended %s' % flow_state}
    if failure.check(exceptions.CircuitOpen) or (
            failure.check(exceptions.CloudUnavailable)
            and not fd.meta.get(ACTED)):
        outcome = constants.OUTCOME_NOT_ATTEMPTED
    elif failure.check(exceptions.JobCancelled):
        outcome = constants.JOB_CANCELLED
    else:
        outcome = constants.OUTCOME_FAILED
    return {'outcome': outcome, 'reason': describe(failure)}


def describe(failure):
    """A failure in one line; an exception without a message (kazoo's
    ConnectionLoss, say) is named by its type rather than left blank."""
    return failure.exception_str or next(iter(failure))
