"""The job context the runner installs for the tasks of one job.

It answers the tasks' three questions: may I take another step (not
cancelled, claim still mine), which throttle and breaker do I share, and,
for a campaign, where do my children go.
"""

import threading
import time

from oslo_log import log as logging
from oslo_utils import timeutils

from octavia_maint.common import exceptions
from octavia_maint.common import waiting
from octavia_maint.jobs import board as board_mod
from octavia_maint.jobs import outcomes
from octavia_maint.jobs import persistence
from octavia_maint.jobs import taskflow_private
from octavia_maint.jobs import zookeeper
from octavia_maint.runtime import context

LOG = logging.getLogger(__name__)

# Seconds between two looks for the operator's ``job continue``.
GATE_POLL_SECONDS = 1.0


class RunningJob(context.JobContext):
    """The context of a job run by a conductor or by the CLI locally."""

    def __init__(self, job_id, cloud, store, children, failover_throttle,
                 breakers, parent_id=None, claim=None):
        super().__init__(job_id=job_id, cloud=cloud,
                         failover_throttle=failover_throttle,
                         breakers=breakers)
        self.store = store
        self.children = children
        self.parent_id = parent_id
        # Whose cancel flag stops this job: a child's campaign's alone,
        # since ``job cancel`` refuses a child (its own flag never goes
        # up), and each child reading its own once a second was a read
        # per second per child in flight (issue 13).
        self._cancel_ids = (parent_id or job_id,)
        self._claim = claim
        self._engine_storage = None
        self._change_noted = False

    def bind(self, engine):
        """Attach the engine that runs this job.

        The job's own notes (the gate it waits at) go through the
        engine's storage: the engine keeps a copy of the flow detail and
        writes it back on every state change, which would undo a write
        made beside it.
        """
        self._engine_storage = engine.storage

    def wait_at_gate(self, gate, instructions):
        """Say what the job waits for, then wait for ``job continue``.

        Checks for a cancel (and for a lost claim) while it waits.
        """
        if gate in self.store.released_gates(self.job_id):
            return
        LOG.info('Job %s waits at gate %s: %s', self.job_id, gate,
                 instructions)
        self._engine_storage.update_flow_metadata({'waiting_gate': {
            'gate': gate, 'instructions': instructions,
            'since': timeutils.utcnow().isoformat()}})
        try:
            waiting.wait_until(
                lambda: gate in self.store.released_gates(self.job_id),
                interval=GATE_POLL_SECONDS, check=self.check_active)
        except exceptions.JobCancelled:
            self._engine_storage.update_flow_metadata({'waiting_gate': None})
            raise
        LOG.info('Job %s: the operator released gate %s', self.job_id, gate)
        self._engine_storage.update_flow_metadata({'waiting_gate': None})

    def note_change(self, call, resource_id, **fields):
        """Save, before the first change of this run is sent, that the job
        acted on the cloud: a target whose job never did is
        ``not-attempted`` when the API goes away (see ``jobs.outcomes``),
        one it did is ``failed``. ``fields`` go in the same save."""
        if not self._change_noted:
            fields[outcomes.ACTED] = {'call': call, 'id': resource_id}
        if fields:
            self._engine_storage.update_flow_metadata(fields)
        self._change_noted = True
        # The last look before the change is sent, after the save (which
        # may have waited): a conductor frozen past its session meanwhile
        # sends nothing.
        if self._claim is not None:
            self._claim.check()

    def check_active(self, fresh=False):
        for job_id in self._cancel_ids:
            if self.store.cancel_requested(job_id, fresh=fresh):
                raise exceptions.JobCancelled(job_id=job_id)
        if self._claim is not None:
            self._claim.check()

    def cancelled(self, fresh=False):
        return any(self.store.cancel_requested(job_id, fresh=fresh)
                   for job_id in self._cancel_ids)

    def record(self, **fields):
        """Save ``fields`` in the job's flow meta, through the engine's
        storage (see :meth:`bind`)."""
        self._engine_storage.update_flow_metadata(fields)


class BoardClaim:
    """Whether this conductor still owns a job on the ZooKeeper board.

    The claim is an ephemeral node of our ZooKeeper session, so while the
    session is the one we claimed with and connected, the claim holds;
    asking ZooKeeper itself (three round trips) before every write of
    every job would make the one ZooKeeper connection of a conductor its
    bottleneck. The board is asked again when the last answer is older
    than ``RECHECK_FRACTION`` of the session timeout. That is soon
    enough: kazoo pings every third of the timeout, so a session expires
    only after a freeze (GC pause, SIGSTOP) of two thirds of it or more,
    and the first check after such a freeze finds an old answer and
    asks; a connection that drops is seen by kazoo (SUSPENDED) before
    the server could expire the session. A fixed second made a claim
    check three ZooKeeper round trips per second per job in flight.

    A claim is lost only when ZooKeeper says so: the session we claimed
    with expired (kazoo then has another one), or the board names
    another owner (or, for ``OWNERLESS_SECONDS``, none). While ZooKeeper
    is unreachable (restart, leader election) the answer waits for it:
    calling the claim lost then would stop, and fail, every step running
    on every conductor at the first blip.
    """

    RECHECK_FRACTION = 1.0 / 3
    # A restarted ZooKeeper answers "no owner" for a moment before the
    # reconnected session's ephemeral claim is visible again.
    OWNERLESS_SECONDS = 5.0

    def __init__(self, board, client, job, owner, session_timeout):
        self._board = board
        self._recheck_seconds = session_timeout * self.RECHECK_FRACTION
        self._client = client
        self._job = job
        self._owner = owner
        self._session = client.client_id
        self._verified_at = time.monotonic()
        self._lock = threading.Lock()
        self._handed_over = False

    def hand_over(self):
        """This conductor gives the job up (SIGTERM): lost from now on,
        not from the next look at the board, so a step ending after the
        hand-off writes neither its result nor its failure."""
        self._handed_over = True

    def check(self):
        """:raises ClaimLost: the board says another owner, or none."""
        if not self.held():
            raise exceptions.ClaimLost(owner=self._owner,
                                       job_id=board_mod.label(self._job))

    def held(self):
        if self._handed_over:
            return False
        with self._lock:
            if not zookeeper.wait_connected(self._client):
                return False
            if self._client.client_id != self._session:
                return False
            if time.monotonic() - self._verified_at < self._recheck_seconds:
                return True
            owner = self._ask_owner()
            if owner != self._owner:
                return False
            self._verified_at = time.monotonic()
            return True

    def _ask_owner(self):
        """The board's answer, waiting out a ZooKeeper that is away."""
        errors_until = time.monotonic() + zookeeper.RECONNECT_SECONDS
        ownerless_until = time.monotonic() + self.OWNERLESS_SECONDS

        def look():
            """``(answered, owner)``: our session is gone, or the board
            named an owner, or said none for OWNERLESS_SECONDS, or did
            not answer for RECONNECT_SECONDS."""
            if self._client.client_id != self._session:
                return True, None
            try:
                owner = self._board.find_owner(self._job)
            except Exception as e:
                if time.monotonic() <= errors_until:
                    return False, None
                LOG.warning('Job %s: the board did not answer who owns it '
                            'for %ss (%s)', board_mod.label(self._job),
                            zookeeper.RECONNECT_SECONDS, e)
                return True, None
            return (owner is not None or time.monotonic() > ownerless_until,
                    owner)

        _answered, owner = waiting.wait_until(
            look, until=lambda answer: answer[0], interval=0.2,
            check=lambda: zookeeper.wait_connected(self._client))
        return owner


class ClaimListener(taskflow_private.ClaimListenerHooks):
    """TaskFlow's claim-checking listener, asking our :class:`BoardClaim`.

    It suspends the engine after the running step when the claim is gone,
    as TaskFlow's does, without three ZooKeeper round trips per state
    change.
    """

    def __init__(self, engine, job, board, owner, claim):
        super().__init__(engine, job, board, owner)
        self._claim = claim

    def claim_lost(self):
        return not self._claim.held()


class ClaimGuardedBackend:
    """Persistence that refuses an engine's writes once its claim is lost.

    A conductor frozen past its ZooKeeper session (GC pause, SIGSTOP,
    partition) wakes up still running its engine while another conductor
    owns the job. The claim-checking listener only suspends it after the
    running step, and the step's own result and the suspension would be
    written over the new owner's state. Checking the claim before every
    write stops a stale engine at its first write instead.
    """

    WRITES = ('update_atom_details', 'update_flow_details', 'save_logbook',
              'destroy_logbook')

    def __init__(self, backend, claim):
        self._backend = backend
        self._claim = claim

    def get_connection(self):
        return _GuardedConnection(self._backend.get_connection(),
                                  self._claim)

    def __getattr__(self, name):
        return getattr(self._backend, name)


class _GuardedConnection:
    def __init__(self, connection, claim):
        self._connection = connection
        self._claim = claim

    def __getattr__(self, name):
        attribute = getattr(self._connection, name)
        if name not in ClaimGuardedBackend.WRITES:
            return attribute

        def guarded(*args, **kwargs):
            self._claim.check()
            # Again in the save's transaction, which it may wait for.
            with persistence.checked_by(self._claim.check):
                return attribute(*args, **kwargs)
        return guarded
