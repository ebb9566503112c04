"""What an operator sees of a job: its state, progress and targets.

Derived, never stored: the flow state in persistence says how far the
job got, the board says who holds it now, the logbook meta says what the
operator asked (cancel). A job posted or running in a local process that
no longer exists is *interrupted* and waits for ``job resume``.
"""

import os

from oslo_utils import timeutils
from taskflow import states

from octavia_maint.common import constants
from octavia_maint import conf
from octavia_maint.flows import registry
from octavia_maint.jobs import children as children_mod
from octavia_maint.jobs import outcomes
from octavia_maint.jobs import persistence

RUNNING_STATES = (states.RUNNING, states.RESUMING, states.SUSPENDING,
                  states.REVERTING)


def _pid_alive(runner):
    if not runner or runner.get('host') != os.uname().nodename:
        return bool(runner)
    try:
        os.kill(runner['pid'], 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def job_state(book, fd, on_board=False, owner=None, local=False):
    """The state an operator sees, from saved state and the board.

    :param on_board: the job is on the ZooKeeper board.
    :param owner: the conductor that claims it there, if any.
    """
    flow_state = fd.state
    if fd.meta.get('gave_up'):
        return constants.JOB_FAILED
    if flow_state == states.SUCCESS:
        return constants.JOB_SUCCEEDED
    cancel = book.meta.get('cancel_requested')
    # On the board again (``job resume``, ``job cancel`` of a failed job)
    # it is queued or running until a conductor runs it, though its saved
    # state still says how its last run ended.
    ended = local or not on_board
    if ended and flow_state == states.REVERTED:
        return constants.JOB_CANCELLED if cancel else constants.JOB_FAILED
    if ended and flow_state == states.FAILURE and not cancel:
        # Stopped without reverting (runner.py): resumable.
        return constants.JOB_FAILED
    # FAILURE with a cancel: the revert is still to run, by whoever runs
    # the job now (below).
    if fd.meta.get('waiting_gate') and flow_state == states.RUNNING:
        # Also when nobody runs it now: what it needs next is the
        # operator's "job continue", which runs it again.
        return constants.JOB_WAITING
    if local:
        if flow_state in RUNNING_STATES + (states.FAILURE,):
            return (constants.JOB_RUNNING
                    if _pid_alive(fd.meta.get('runner'))
                    else constants.JOB_INTERRUPTED)
        if flow_state == states.SUSPENDED:
            return constants.JOB_INTERRUPTED
        runner = fd.meta.get('runner')
        if runner and not _pid_alive(runner):
            # Posted here, never started: its process was stopped first.
            return constants.JOB_INTERRUPTED
        return constants.JOB_QUEUED
    if not on_board:
        return constants.JOB_INTERRUPTED
    if owner:
        return constants.JOB_RUNNING
    return constants.JOB_QUEUED


def job_view(backend, book, board_jobs):
    """A flat dict describing one job, for ``job list`` and ``job show``."""
    fd = backend.store.get_flow(book.uuid)
    board_job = board_jobs.get(book.uuid)
    owner = (backend.board.owner_of(board_job) if board_job is not None
             else None)
    state = job_state(book, fd, board_job is not None, owner, backend.local)
    meta = book.meta
    return {'id': book.uuid, 'procedure': meta.get('procedure'),
            'state': state, 'conductor': _owner(backend, fd, owner, state),
            'posted_by': meta.get('posted_by'),
            'posted_at': _iso(book.created_at),
            'resumed_at': meta.get('resumed_at'),
            'updated_at': _iso(backend.store.last_change(book)),
            'parameters': meta.get('params', {}),
            'parent': meta.get('parent'), 'target': meta.get('target'),
            'attempts': fd.meta.get('attempts', 0),
            'reason': _reason(backend, book.uuid, fd, state),
            'waiting_for': _waiting_for(fd, state),
            'protection': fd.meta.get('protection'),
            'next_steps': _next_steps(book, fd, state)}


def _waiting_for(fd, state):
    """What the job waits for: the operator at a gate, or something
    outside the tool (housekeeping, a heartbeat) with since and until."""
    if state == constants.JOB_WAITING:
        return (fd.meta.get('waiting_gate') or {}).get('instructions')
    if state == constants.JOB_RUNNING:
        return fd.meta.get('waiting_for')
    return None


def _next_steps(book, fd, state):
    """What a failed or cancelled campaign left behind, and what the
    operator may do about it (the procedure's own words)."""
    meta = book.meta
    if meta.get('parent') or state not in (constants.JOB_FAILED,
                                           constants.JOB_CANCELLED):
        return None
    proc = registry.get(meta['procedure'])
    if state == constants.JOB_CANCELLED:
        return 'Cancelled and reverted: %s' % proc.left_by_cancel
    if fd.meta.get('protection'):
        # Resuming would fail over onto what the breaker stopped.
        return ('Stopped by the circuit breaker; what succeeded is kept: '
                '%s Then: %s. "octavia-maint job cancel %s" reverts: %s'
                % (proc.left_by_failure, fd.meta['protection'], book.uuid,
                   proc.left_by_cancel))
    return ('Stopped; what succeeded is kept: %s Once the cause is fixed, '
            '"octavia-maint job resume %s" finishes the work (what '
            'succeeded is not done again); "octavia-maint job cancel %s" '
            'reverts instead: %s' % (proc.left_by_failure, book.uuid,
                                     book.uuid, proc.left_by_cancel))


def _owner(backend, fd, owner, state):
    """Who runs the job now: a conductor, a local process, or nobody."""
    if state not in (constants.JOB_RUNNING, constants.JOB_WAITING):
        return None
    if owner:
        return owner
    runner = fd.meta.get('runner') or {}
    if backend.local and _pid_alive(runner):
        return '%s:%s' % (runner.get('host'), runner.get('pid'))
    return None


def _reason(backend, job_id, fd, state):
    if state not in (constants.JOB_FAILED, constants.JOB_CANCELLED):
        return None
    if fd.meta.get('gave_up'):
        return fd.meta['gave_up']
    failure = outcomes.failure_reason(backend.store.atoms(job_id))
    return outcomes.describe(failure) if failure else None


def _iso(value):
    return value.isoformat() if value else None


def campaign_targets(backend, job_id):
    """Per-target rows of a campaign: planned, skipped, outcome so far."""
    proc = registry.get(backend.store.get_book(job_id).meta['procedure'])
    plan = next((a.results for a in backend.store.atoms(job_id)
                 if a.name == proc.plan_atom and a.results), None)
    if not plan:
        return []
    run_ids = [persistence.child_id(job_id, t['id']) for t in plan
               if t['action'] == constants.PLAN_RUN]
    # One bulk read of the children: state, meta, result and failures.
    children = backend.store.flow_details(run_ids, proc.result_atom)
    rows = []
    for target in plan:
        row = {'target': target['id'], 'name': target.get('name'),
               'project_id': target.get('project_id'),
               'topology': target.get('topology')}
        if target['action'] != constants.PLAN_RUN:
            row.update(outcome=constants.OUTCOME_SKIPPED,
                       reason=target['reason'])
        else:
            fd = children.get(persistence.child_id(job_id, target['id']))
            state = fd.state if fd else None
            if state in children_mod.FINISHED:
                row.update(outcomes.outcome_of(fd, state, proc.result_atom))
            elif state in RUNNING_STATES:
                row.update(outcome=constants.OUTCOME_RUNNING,
                           **_activity(fd.meta))
            else:
                row.update(outcome=constants.OUTCOME_PENDING,
                           reason=target['reason'])
        rows.append(row)
    return rows


def _activity(meta):
    """What a running target does: ``{'phase', 'reason'}``; the phase
    says whether it fails over or waits for a throttle slot (None when
    it does neither, e.g. verifying)."""
    phase = meta.get(constants.FAILOVER_PHASE)
    waits = meta.get('waiting_for')
    if waits:
        reason = 'waiting for %s' % waits
    elif phase:
        reason = '%s since %s' % (phase['phase'], phase['since'])
    else:
        reason = ''
    return {'phase': phase['phase'] if phase else None, 'reason': reason}


def phases(rows):
    """``{phase: number}`` of the running targets failing over and
    waiting for a throttle slot, for the progress line."""
    result = {constants.PHASE_FAILING_OVER: 0,
              constants.PHASE_WAITING_FOR_SLOT: 0}
    for row in rows:
        if row.get('phase') in result:
            result[row['phase']] += 1
    return result


def failover_eta_seconds(rows, failover_times, throttle):
    """Remaining time of a failover campaign: the targets left (pending
    or running), by topology, at this cloud's median failover, throttled
    (:meth:`estimates.FailoverTimes.remaining_seconds`); None when none
    is left.

    Unlike the pace so far (:func:`eta_seconds`), it does not climb
    between two finished targets while failovers take as long as before.
    """
    left = [row.get('topology') for row in rows
            if row['outcome'] in (constants.OUTCOME_PENDING,
                                  constants.OUTCOME_RUNNING)]
    if not left:
        return None
    return failover_times.remaining_seconds(
        left, throttle.max_concurrent_failovers, throttle.min_interval_seconds)


def counts(rows):
    """``{outcome: number}`` over target rows, every outcome present."""
    result = {o: 0 for o in (constants.OUTCOME_SUCCEEDED,
                             constants.OUTCOME_SKIPPED,
                             constants.OUTCOME_FAILED,
                             constants.OUTCOME_NOT_ATTEMPTED,
                             constants.OUTCOME_RUNNING,
                             constants.OUTCOME_PENDING)}
    for row in rows:
        result[row['outcome']] = result.get(row['outcome'], 0) + 1
    return result


def eta_seconds(view, job_counts):
    """Remaining time at the pace so far, or None before the first result."""
    done = (job_counts[constants.OUTCOME_SUCCEEDED] +
            job_counts[constants.OUTCOME_FAILED])
    left = (job_counts[constants.OUTCOME_PENDING] +
            job_counts[constants.OUTCOME_RUNNING])
    if not done or not left or not view['posted_at']:
        return None
    elapsed = (timeutils.utcnow() - timeutils.parse_isotime(
        view['posted_at']).replace(tzinfo=None)).total_seconds()
    return round(elapsed / done * left)


def campaigns_held(backend, identity):
    """Progress of the campaigns the conductor ``identity`` runs now.

    For its metrics: one row per campaign it claims on the board (never
    a child), with the targets' counts by outcome and its circuit
    breaker's failures, so a dashboard sums each campaign once.
    """
    rows = []
    for job_id, board_job in backend.jobs_on_board().items():
        if backend.board.owner_of(board_job) != identity:
            continue
        book = backend.store.get_book(job_id)
        if book.meta.get('parent'):
            continue
        breaker = backend.breakers.get(job_id, conf.CONF.throttle.max_failures)
        rows.append({'id': job_id, 'procedure': book.meta.get('procedure'),
                     'counts': counts(campaign_targets(backend, job_id)),
                     'breaker_failures': breaker.failures,
                     'breaker_open': breaker.is_open()})
    return rows
