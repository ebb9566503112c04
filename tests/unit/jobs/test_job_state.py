"""jobs/status.job_state: the state an operator sees, as a table.

A pure function of the saved flow state, the logbook and flow meta, and
what the board says (on it, claimed by whom) or, in local mode, whether
the process that ran the job is still alive.
"""

import os

import pytest
from taskflow import states

from octavia_maint.common import constants as c
from octavia_maint.jobs import status

HERE = os.uname().nodename
ALIVE = {'host': HERE, 'pid': os.getpid()}
DEAD = {'host': HERE, 'pid': 99999999}      # above any pid_max
ELSEWHERE = {'host': 'another-machine', 'pid': 1}   # cannot tell: alive
GATE = {'gate': 'restart', 'instructions': 'restart the health managers'}


class Book:
    def __init__(self, cancel):
        self.meta = {'cancel_requested': True} if cancel else {}


class FlowDetail:
    def __init__(self, state, **meta):
        self.state = state
        self.meta = meta


# (flow state, flow meta, cancel requested, on board, owner) -> state
BOARD = [
    (states.SUCCESS, {}, False, False, None, c.JOB_SUCCEEDED),
    (states.RUNNING, {'gave_up': 'too many attempts'}, False, True, None,
     c.JOB_FAILED),
    (states.REVERTED, {}, True, False, None, c.JOB_CANCELLED),
    (states.REVERTED, {}, False, False, None, c.JOB_FAILED),
    # On the board again (resume, cancel of a failed job): queued or
    # running until a conductor runs it, whatever its last run left.
    (states.REVERTED, {}, False, True, None, c.JOB_QUEUED),
    (states.REVERTED, {}, True, True, 'conductor-a', c.JOB_RUNNING),
    (states.FAILURE, {}, False, False, None, c.JOB_FAILED),
    (states.FAILURE, {}, False, True, None, c.JOB_QUEUED),
    # Cancelled after it failed: the revert is still to run.
    (states.FAILURE, {}, True, False, None, c.JOB_INTERRUPTED),
    (states.FAILURE, {}, True, True, 'conductor-a', c.JOB_RUNNING),
    (states.RUNNING, {'waiting_gate': GATE}, False, True, 'conductor-a',
     c.JOB_WAITING),
    (states.RUNNING, {'waiting_gate': GATE}, False, False, None,
     c.JOB_WAITING),
    (states.SUSPENDED, {'waiting_gate': GATE}, False, True, None,
     c.JOB_QUEUED),
    (states.RUNNING, {}, False, True, 'conductor-a', c.JOB_RUNNING),
    (states.RUNNING, {}, False, True, None, c.JOB_QUEUED),
    (states.RUNNING, {}, False, False, None, c.JOB_INTERRUPTED),
    (states.PENDING, {}, False, True, None, c.JOB_QUEUED),
    (states.PENDING, {}, False, False, None, c.JOB_INTERRUPTED),
]

# (flow state, flow meta, cancel requested) -> state, in local mode
LOCAL = [
    (states.SUCCESS, {'runner': DEAD}, False, c.JOB_SUCCEEDED),
    (states.REVERTED, {}, True, c.JOB_CANCELLED),
    (states.REVERTED, {}, False, c.JOB_FAILED),
    (states.FAILURE, {'runner': DEAD}, False, c.JOB_FAILED),
    (states.FAILURE, {'runner': ALIVE}, True, c.JOB_RUNNING),
    (states.FAILURE, {'runner': DEAD}, True, c.JOB_INTERRUPTED),
    (states.RUNNING, {'runner': ALIVE}, False, c.JOB_RUNNING),
    (states.RUNNING, {'runner': ELSEWHERE}, False, c.JOB_RUNNING),
    (states.RUNNING, {'runner': DEAD}, False, c.JOB_INTERRUPTED),
    (states.REVERTING, {'runner': DEAD}, True, c.JOB_INTERRUPTED),
    (states.RUNNING, {'runner': DEAD, 'waiting_gate': GATE}, False,
     c.JOB_WAITING),
    (states.SUSPENDED, {'runner': ALIVE}, False, c.JOB_INTERRUPTED),
    (states.PENDING, {}, False, c.JOB_QUEUED),
    (states.PENDING, {'runner': ALIVE}, False, c.JOB_QUEUED),
    # Posted here, never started: its process was stopped first.
    (states.PENDING, {'runner': DEAD}, False, c.JOB_INTERRUPTED),
]


@pytest.mark.parametrize('flow_state, meta, cancel, on_board, owner, seen',
                         BOARD)
def test_on_a_board(flow_state, meta, cancel, on_board, owner, seen):
    assert status.job_state(Book(cancel), FlowDetail(flow_state, **meta),
                            on_board=on_board, owner=owner) == seen


@pytest.mark.parametrize('flow_state, meta, cancel, seen', LOCAL)
def test_in_local_mode(flow_state, meta, cancel, seen):
    assert status.job_state(Book(cancel), FlowDetail(flow_state, **meta),
                            local=True) == seen


def test_every_state_an_operator_can_see_is_in_the_tables():
    seen = {row[-1] for row in BOARD} | {row[-1] for row in LOCAL}
    assert seen == set(c.JOB_STATES)
