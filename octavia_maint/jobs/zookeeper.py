"""ZooKeeper: the kazoo client and every path octavia-maint uses.

One client per process serves the job board, the failover throttle and
the circuit breakers. With ``[jobboard] auth_username`` set, every znode
we create gets a digest ACL for that user only, so other tenants of a
shared ZooKeeper can neither read nor change our jobs.
"""

import logging
import selectors
import sys
import threading
import types

from kazoo import client as kazoo_client
from kazoo import exceptions as kazoo_exc
from kazoo import security
from kazoo.handlers import threading as kazoo_threading
from kazoo.handlers import utils as kazoo_utils
from taskflow import exceptions as taskflow_exc

from octavia_maint.common import exceptions

LOG = logging.getLogger(__name__)

# How long a ZooKeeper call waits for the server to come back before it
# gives up. A restart of ZooKeeper (or the election after its leader
# died) takes seconds; a campaign must ride that out, not fail its steps.
RECONNECT_SECONDS = 60.0


# What kazoo's select waits with: poll(2), one system call, not a new
# epoll instance (create, register, wait, close) per wait.
_POLL = types.SimpleNamespace(DefaultSelector=selectors.PollSelector,
                              EVENT_READ=selectors.EVENT_READ,
                              EVENT_WRITE=selectors.EVENT_WRITE)


class PollingHandler(kazoo_threading.SequentialThreadingHandler):
    """kazoo's threading handler, waiting on its sockets with poll(2).

    kazoo's connection thread waits on its socket before every message it
    reads and writes, through a selector built for each wait; with the
    default (epoll) that is five system calls a wait. Profiled (issue
    13), the connection thread was a tenth of a busy conductor's CPU; a
    ZooKeeper request costs about a fifth less CPU with poll. kazoo's
    ``selector_select`` takes the selectors module to use (its gevent
    handler passes its own): no private name is touched.
    """

    def select(self, *args, **kwargs):
        return kazoo_utils.selector_select(*args, selectors_module=_POLL,
                                           **kwargs)


def board_path(conf):
    return conf.jobboard.path.rstrip('/') + '/jobs'


def throttle_path(conf):
    return conf.jobboard.path.rstrip('/') + '/throttle/failovers'


def breakers_path(conf):
    return conf.jobboard.path.rstrip('/') + '/breakers'


def make_client(conf):
    """Build and start a kazoo client from ``[jobboard]``.

    :raises ConfigError: ZooKeeper does not answer within the timeout.
    """
    jb = conf.jobboard
    kwargs = {'hosts': ','.join(jb.hosts), 'timeout': jb.session_timeout,
              'handler': PollingHandler(),
              'connection_retry': {'max_tries': -1, 'max_delay': 2.0},
              'command_retry': {'max_tries': -1, 'max_delay': 1.0,
                                'deadline': RECONNECT_SECONDS}}
    if jb.auth_username:
        credential = '%s:%s' % (jb.auth_username, jb.auth_password or '')
        kwargs['auth_data'] = [('digest', credential)]
        kwargs['default_acl'] = [security.make_digest_acl(
            jb.auth_username, jb.auth_password or '', all=True)]
    if jb.use_ssl:
        kwargs.update(use_ssl=True, ca=jb.ssl_ca, certfile=jb.ssl_certfile,
                      keyfile=jb.ssl_keyfile, verify_certs=jb.ssl_verify_certs)
    client = kazoo_client.KazooClient(**kwargs)
    try:
        client.start(timeout=jb.connect_timeout)
    except (kazoo_threading.KazooTimeoutError, kazoo_exc.KazooException,
            OSError) as e:
        client.close()
        raise exceptions.ConfigError(
            reason='ZooKeeper at %s did not answer (%s); check [jobboard] '
                   'hosts' % (','.join(jb.hosts), e.__class__.__name__))
    return client


def wait_connected(client, timeout=None):
    """Wait until ``client`` is connected; False if it is not within
    ``timeout`` (default RECONNECT_SECONDS).

    While ZooKeeper restarts, the session is only suspended: it is still
    ours if we reconnect within the session timeout, so a claim must not
    be called lost merely because the connection is down right now.
    """
    if client.state == kazoo_client.KazooState.CONNECTED:
        return True
    connected = threading.Event()

    def listener(state):
        if state == kazoo_client.KazooState.CONNECTED:
            connected.set()
            return True   # kazoo removes a listener that returns True
        return False

    client.add_listener(listener)
    if client.state == kazoo_client.KazooState.CONNECTED:
        connected.set()
    try:
        return connected.wait(RECONNECT_SECONDS if timeout is None
                              else timeout)
    finally:
        client.remove_listener(listener)


def connection_lost(error):
    """Whether a board call failed because ZooKeeper was unreachable.

    TaskFlow wraps kazoo's errors in ``JobFailure``; its cause says
    whether the server was gone (worth retrying) or said no (not).
    """
    if isinstance(error, taskflow_exc.JobFailure):
        error = error.cause
    return isinstance(error, (kazoo_exc.ConnectionLoss,
                              kazoo_exc.SessionExpiredError,
                              kazoo_exc.OperationTimeoutError,
                              kazoo_threading.KazooTimeoutError))


def _lost_connection_or_claim(error):
    """Whether ``error`` is ZooKeeper away or a claim lost: a warning for
    the operator in one line, wherever it is reported."""
    return connection_lost(error) or isinstance(error, exceptions.ClaimLost)


class _ExpectedInOneLine(logging.Filter):
    """ZooKeeper away, a claim lost, a job cancelled: news for the
    operator, no crash.

    TaskFlow logs a board call or an engine that raised with its
    traceback. While ZooKeeper restarts that is every call of every
    conductor, and after a session expired every job it ran (ClaimLost):
    one line each says all there is to say.
    """

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if error is not None:
            if isinstance(error, exceptions.JobCancelled):
                self._one_line(record, '%s: %s' % (record.getMessage(),
                                                   error), logging.INFO)
            elif _lost_connection_or_claim(error):
                self._one_line(record, '%s: %s' % (record.getMessage(),
                                                   error), logging.WARNING)
            return True
        line = _expected_in_text(record)
        if line:
            # A cancel is what the operator asked for: news, not trouble.
            self._one_line(record, line, logging.INFO if (
                exceptions.JobCancelled.__name__ in line)
                else logging.WARNING)
        return True

    @staticmethod
    def _one_line(record, text, level):
        record.msg, record.args = text, ()
        record.exc_info = record.exc_text = None
        if record.levelno > level:
            record.levelno = level
            record.levelname = logging.getLevelName(level)


# The exceptions _ExpectedInOneLine shortens where a traceback comes as
# text only (no exc_info), found by name.
EXPECTED_NAMES = (exceptions.ClaimLost.__name__,
                  exceptions.ConductorStopping.__name__,
                  exceptions.JobCancelled.__name__,
                  kazoo_exc.ConnectionLoss.__name__,
                  kazoo_exc.SessionExpiredError.__name__,
                  kazoo_exc.OperationTimeoutError.__name__,
                  kazoo_threading.KazooTimeoutError.__name__)


def _expected_in_text(record):
    """One line for a record that carries the traceback of an expected
    exception as text, or None.

    Two such records: oslo.utils' ``save_and_reraise_exception`` logs an
    exception a second one replaced as the traceback's lines (its last
    line names it); TaskFlow's conductor logs each failure of a job as
    ``N. Failure: <exception>`` followed by its traceback.
    """
    if record.name.startswith('oslo_utils.excutils') and (
            record.args and isinstance(record.args[0], list)):
        lines = [line.strip() for line in record.args[0] if line.strip()]
        if lines and any(name in lines[-1] for name in EXPECTED_NAMES):
            return 'Original exception being dropped: %s' % lines[-1]
        return None
    text = record.getMessage()
    first = text.split('\n', 1)[0]
    if '\n' in text and any(name in first for name in EXPECTED_NAMES):
        return first
    return None


def log_expected_trouble_in_one_line():
    """Say ZooKeeper trouble and lost claims in one line, whoever logs them.

    TaskFlow's conductor, board and engine and kazoo each log these from
    their own module loggers; a filter on the root logger's handlers
    (those ``oslo_log.setup`` installed) reaches all of them.
    """
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, _ExpectedInOneLine)
                   for f in handler.filters):
            handler.addFilter(_ExpectedInOneLine())
    if not isinstance(sys.unraisablehook, _UnraisableInOneLine):
        sys.unraisablehook = _UnraisableInOneLine(sys.unraisablehook)


class _UnraisableInOneLine:
    """Python's hook for an exception nobody can catch, one line for the
    expected ones.

    A conductor that hands a job over mid-step (SIGTERM) or lost its
    session stops the job's engine at its next write with ClaimLost;
    TaskFlow's ``run_iter`` generator, closed meanwhile, raises it in
    its own cleanup, and Python printed "Exception ignored in" with a
    whole traceback to the service's log for each such job. Anything
    else goes to the hook there was before.
    """

    def __init__(self, previous):
        self._previous = previous

    def __call__(self, unraisable):
        error = unraisable.exc_value
        if _lost_connection_or_claim(error):
            LOG.warning('%s %r: %s', unraisable.err_msg or
                        'Exception ignored in', unraisable.object, error)
            return
        self._previous(unraisable)
