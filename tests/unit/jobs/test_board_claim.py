"""BoardClaim: a claim is lost only when ZooKeeper says so (issue 10).

Fakes stand in for our own boundary (the board's ``find_owner`` and the
kazoo client's state); the real thing is exercised by
tests/functional/engine/test_zookeeper_loss.py.
"""

import logging
import sys
import threading

from kazoo import client as kazoo_client
from kazoo import exceptions as kazoo_exc
from oslo_utils import excutils
import pytest
from taskflow import exceptions as taskflow_exc

from octavia_maint.common import exceptions
from octavia_maint.jobs import context
from octavia_maint.jobs import zookeeper

CONNECTED = kazoo_client.KazooState.CONNECTED
SUSPENDED = kazoo_client.KazooState.SUSPENDED
SESSION_TIMEOUT = 6.0


class FakeClient:
    def __init__(self):
        self.client_id = (1, b'session')
        self.state = CONNECTED
        self._listeners = set()

    def add_listener(self, listener):
        self._listeners.add(listener)

    def remove_listener(self, listener):
        self._listeners.discard(listener)

    def change(self, state, client_id=None):
        self.state = state
        if client_id is not None:
            self.client_id = client_id
        for listener in list(self._listeners):
            if listener(state):
                self._listeners.discard(listener)


class FakeBoard:
    """Answers ``find_owner`` from a list: an owner, None, or an error."""

    def __init__(self, *answers):
        self.answers = list(answers)

    def find_owner(self, job):
        answer = self.answers.pop(0) if len(self.answers) > 1 \
            else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


class FakeJob:
    book_uuid = 'job-1'


@pytest.fixture
def fast(monkeypatch):
    monkeypatch.setattr(context.BoardClaim, 'RECHECK_FRACTION', 0.0)
    monkeypatch.setattr(context.BoardClaim, 'OWNERLESS_SECONDS', 0.3)
    monkeypatch.setattr(zookeeper, 'RECONNECT_SECONDS', 0.5)
    monkeypatch.setattr(context.time, 'sleep', lambda s: None)


def claim(board, client=None):
    return context.BoardClaim(board, client or FakeClient(), FakeJob(), 'me',
                              SESSION_TIMEOUT)


@pytest.mark.parametrize('answers, held', [
    (['me'], True),
    (['someone-else'], False),
    ([None, None, 'me'], True),          # a restarted server, a moment on
    ([None], False),                     # nobody, for longer than a moment
    ([kazoo_exc.ConnectionLoss(), 'me'], True),
    ([kazoo_exc.ConnectionLoss()], False),   # no answer in RECONNECT_SECONDS
])
def test_the_board_answer_decides(fast, answers, held):
    assert claim(FakeBoard(*answers)).held() is held


def test_a_new_session_loses_the_claim(fast):
    client = FakeClient()
    the_claim = claim(FakeBoard('me'), client)
    client.change(CONNECTED, client_id=(2, b'other'))
    with pytest.raises(exceptions.ClaimLost):
        the_claim.check()


def test_a_claim_handed_over_is_lost_at_once():
    # Not a second later, when its last answer is old: a step that ends
    # after the hand-off (SIGTERM) must not write its result, or a
    # failure, over the new owner's state.
    the_claim = claim(FakeBoard('me'))
    assert the_claim.held()
    the_claim.hand_over()
    with pytest.raises(exceptions.ClaimLost):
        the_claim.check()


def test_a_suspended_connection_is_waited_for(fast):
    client = FakeClient()
    the_claim = claim(FakeBoard('me'), client)
    client.change(SUSPENDED)
    threading.Timer(0.05, client.change, (CONNECTED,)).start()
    assert the_claim.held()


def test_a_connection_that_does_not_come_back_loses_the_claim(fast):
    client = FakeClient()
    the_claim = claim(FakeBoard('me'), client)
    client.change(SUSPENDED)
    assert not the_claim.held()


@pytest.mark.parametrize('error, lost', [
    (kazoo_exc.ConnectionLoss(), True),
    (kazoo_exc.SessionExpiredError(), True),
    (taskflow_exc.JobFailure('x', cause=kazoo_exc.ConnectionLoss()), True),
    (taskflow_exc.JobFailure('x', cause=kazoo_exc.NoAuthError()), False),
    (kazoo_exc.NoNodeError(), False),
    (ValueError(), False),
])
def test_connection_lost(error, lost):
    assert zookeeper.connection_lost(error) is lost


@pytest.fixture
def logged():
    """The records the root logger's handlers see, with our filter on."""
    seen = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record)

    handler = Keep()
    root = logging.getLogger()
    root.addHandler(handler)
    hook = sys.unraisablehook
    zookeeper.log_expected_trouble_in_one_line()
    yield seen
    sys.unraisablehook = hook
    root.removeHandler(handler)


def raise_in_generator_cleanup(error):
    """What TaskFlow's engine does when its ``run_iter`` generator is
    closed and the cleanup's write finds the claim lost: an exception
    nobody can catch (Python's unraisable hook)."""
    def run_iter():
        try:
            yield
        finally:
            raise error
    steps = run_iter()
    next(steps)
    del steps


@pytest.mark.parametrize('error, one_line', [
    (exceptions.ClaimLost(owner='me', job_id='j'), True),
    (kazoo_exc.ConnectionLoss(), True),
    (ValueError('bug'), False),
])
def test_an_expected_exception_nobody_can_catch_is_one_warning(
        error, one_line, logged):
    passed_on = []
    # ``logged`` puts back the hook there was before it, after this test.
    sys.unraisablehook = passed_on.append
    zookeeper.log_expected_trouble_in_one_line()
    raise_in_generator_cleanup(error)
    if one_line:
        record, = logged
        assert record.levelno == logging.WARNING
        assert str(error) in record.getMessage()
        assert '\n' not in record.getMessage() and not passed_on
    else:
        assert not logged
        assert passed_on[0].exc_value is error


@pytest.mark.parametrize('error, one_line', [
    (taskflow_exc.JobFailure('x', cause=kazoo_exc.ConnectionLoss()), True),
    (exceptions.ClaimLost(owner='me', job_id='j'), True),
    (ValueError('bug'), False),
])
def test_expected_trouble_is_logged_in_one_line(error, one_line, logged):
    try:
        raise error
    except Exception:
        logging.getLogger('taskflow.anything').error(
            'Job %s failed', 'j', exc_info=True)
    record, = logged
    assert (record.exc_info is None) is one_line
    assert (record.levelname == 'WARNING') is one_line
    assert record.getMessage().startswith('Job j failed')


class CountingBoard(FakeBoard):
    def __init__(self, *answers):
        super().__init__(*answers)
        self.asked = 0

    def find_owner(self, job):
        self.asked += 1
        return super().find_owner(job)


def test_the_board_is_asked_only_when_the_last_answer_is_old(monkeypatch):
    now = [100.0]

    class Clock:      # context.time: the claim's clock only
        monotonic = staticmethod(lambda: now[0])
        sleep = staticmethod(lambda seconds: None)
    monkeypatch.setattr(context, 'time', Clock)
    board = CountingBoard('me')
    the_claim = claim(board)
    assert the_claim.held() and the_claim.held()
    assert board.asked == 0          # just claimed: our session holds it
    # Less than a third of the session: no freeze that long can have
    # expired it (kazoo pings every third).
    now[0] += SESSION_TIMEOUT / 3 - 0.5
    assert the_claim.held()
    assert board.asked == 0
    now[0] += 0.5
    assert the_claim.held()
    assert board.asked == 1
    # Woken after a freeze past the session: the first check asks.
    board.answers = ['someone-else']
    now[0] += 3600
    assert not the_claim.held()
    assert board.asked == 2


@pytest.mark.parametrize('error, one_line', [
    (exceptions.ClaimLost(owner='me', job_id='j'), True),
    (kazoo_exc.SessionExpiredError(), True),
    (ValueError('bug'), False),
])
def test_a_dropped_expected_exception_is_one_warning(error, one_line,
                                                     logged):
    """oslo.utils' save_and_reraise_exception logs the exception a second
    one replaced as formatted text, at ERROR, without exc_info."""
    try:
        raise error
    except Exception:
        try:
            with excutils.save_and_reraise_exception():
                raise RuntimeError('second')
        except RuntimeError:
            pass
    dropped = [r for r in logged if 'dropped' in r.getMessage()]
    assert len(dropped) == 1
    record, = dropped
    assert (record.levelname == 'WARNING') is one_line
    # The traceback's lines (a list) are left to a real bug only.
    assert ('Traceback' in record.getMessage()) is not one_line


@pytest.mark.parametrize('text, level', [
    ('1. Failure: octavia_maint.common.exceptions.JobCancelled: Job j was '
     'cancelled by the operator.\nTraceback (most recent call last):\n  x',
     'INFO'),
    ('1. Failure: octavia_maint.common.exceptions.ClaimLost: lost\n'
     'Traceback (most recent call last):\n  x', 'WARNING'),
    ('1. Failure: ValueError: bug\nTraceback (most recent call last):\n  x',
     'ERROR'),
])
def test_a_failure_logged_as_text_is_one_line(text, level, logged):
    """TaskFlow's conductor logs each failure of a job as its traceback
    in text: a cancel is one INFO line, a lost claim one WARNING."""
    logging.getLogger('taskflow.conductors').error('%s', text)
    record, = logged
    assert record.levelname == level
    assert ('\n' not in record.getMessage()) is (level != 'ERROR')


def test_a_cancel_raised_is_one_info_line(logged):
    try:
        raise exceptions.JobCancelled(job_id='j')
    except Exception:
        logging.getLogger('taskflow.anything').error('Engine failed',
                                                     exc_info=True)
    record, = logged
    assert record.levelname == 'INFO' and record.exc_info is None
