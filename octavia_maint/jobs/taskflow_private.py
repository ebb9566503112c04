"""Every private TaskFlow name octavia-maint touches, in one place.

TaskFlow offers no public hook for what our conductor, board and claim
listener change (DESIGN.md section 3: claims checked without three
ZooKeeper round trips per write, state read from the database, jobs
abandoned instead of trashed). Each class below overrides TaskFlow's
private hook only to call a public method of the same class whose
default is TaskFlow's own behaviour; our subclasses in ``conductor/``
and ``jobs/`` override those public methods and never name a private
TaskFlow attribute themselves.

Checked against taskflow ``CHECKED_AGAINST`` (pinned in constraints.txt).
``PRIVATE_METHODS`` and ``PRIVATE_ATTRIBUTES`` record what is used here;
tests/unit/test_private_overrides.py fails, naming the attribute, when
one disappears or its parameters change.
"""

from taskflow.conductors.backends import impl_nonblocking
from taskflow.conductors import base as conductor_base
from taskflow.jobs.backends import impl_zookeeper
from taskflow.listeners import base as listener_base
from taskflow.listeners import claims

CHECKED_AGAINST = '6.5.0'

_CONDUCTOR = impl_nonblocking.NonBlockingConductor
_BOARD = impl_zookeeper.ZookeeperJobBoard

# (owner, name, parameters with their defaults) of every private callable
# used here.
PRIVATE_METHODS = (
    (_CONDUCTOR, '_flow_detail_from_job', ('self', 'job')),
    (_CONDUCTOR, '_engine_from_job', ('self', 'job')),
    (_CONDUCTOR, '_listeners_from_job', ('self', 'job', 'engine')),
    (_CONDUCTOR, '_dispatch_job', ('self', 'job')),
    (_BOARD, '_on_job_posting', ('self', 'children', 'delayed=True')),
    (_BOARD, '_fetch_jobs', ('self', 'ensure_fresh=False')),
    (_BOARD, '_remove_job', ('self', 'path')),
    (claims.CheckingClaimListener, '_has_been_lost', ('self',)),
    (listener_base.Listener, '_task_receiver', ('self', 'state', 'details')),
)

# (owner, name) of every private data attribute read here; an instance
# attribute set by the owner's ``__init__``.
PRIVATE_ATTRIBUTES = (
    (conductor_base.Conductor, '_jobboard'),
    (conductor_base.Conductor, '_persistence'),
    (_BOARD, '_client'),
    (_BOARD, '_last_states'),
)


class ConductorHooks(_CONDUCTOR):
    """TaskFlow's non-blocking conductor, its per-job steps made public.

    TaskFlow's ``base.py`` itself says ``_listeners_from_job`` "should be
    overridden" (and has a TODO for a public way); the other three have
    no public replacement: a conductor takes only an engine *name* and
    options, not an engine or flow-detail factory, and no callback
    decides consume versus abandon.
    """

    @property
    def jobboard(self):
        """The board this conductor claims from (TaskFlow: ``_jobboard``,
        no accessor)."""
        return self._jobboard

    @property
    def persistence(self):
        """The persistence backend given to ``__init__`` (TaskFlow:
        ``_persistence``, no accessor)."""
        return self._persistence

    def _flow_detail_from_job(self, job):
        # TaskFlow reads the flow detail from the job's cached logbook;
        # nothing public lets a conductor read it from the database.
        return self.flow_detail_for(job)

    def _engine_from_job(self, job):
        # No engine factory can be given to a conductor; ours wraps the
        # persistence in a claim check and binds the job context.
        return self.engine_for(job)

    def _listeners_from_job(self, job, engine):
        # The extension point TaskFlow documents, under a private name.
        return self.listeners_for(job, engine)

    def _dispatch_job(self, job):
        # What runs a claimed job and returns "consume it"; TaskFlow has
        # no public hook around it (attempt counts, never-trash rule).
        return self.dispatch(job)

    def flow_detail_for(self, job):
        """The flow detail to run for ``job`` (TaskFlow's: its book's)."""
        return super()._flow_detail_from_job(job)

    def engine_for(self, job):
        """The engine that runs ``job`` (TaskFlow's: loaded from detail)."""
        return super()._engine_from_job(job)

    def listeners_for(self, job, engine):
        """Unregistered listeners for ``engine`` (TaskFlow's: logging)."""
        return super()._listeners_from_job(job, engine)

    def dispatch(self, job):
        """Run claimed ``job``; True consumes it, False abandons it."""
        return self.run_engine(job)

    def run_engine(self, job):
        """TaskFlow's dispatch: build the engine and listeners, run it;
        True unless it suspended or failed with a no-consume error."""
        return super()._dispatch_job(job)


class ZooKeeperBoardHooks(_BOARD):
    """TaskFlow's ZooKeeper board with its job listing made public.

    TaskFlow lists jobs only through ``iterjobs``, which asks ZooKeeper
    for every job's owner; the children watch that already sees every
    claim node, the listing itself and the connection state behind it
    are private.
    """

    def _on_job_posting(self, children, delayed=True):
        # TaskFlow's children watch callback: the only place the board's
        # children (claim nodes included) are seen; no public listener.
        self.saw_children(children)
        super()._on_job_posting(children, delayed=delayed)

    def saw_children(self, children):
        """Called with each listing of the board's node (names only)."""

    @property
    def zookeeper_client(self):
        """The kazoo client of the board (TaskFlow: ``_client``)."""
        return self._client

    def listing_paused(self):
        """True while TaskFlow lists no jobs: the last connection state
        it saw is LOST or SUSPENDED (kept in ``_last_states``)."""
        return bool(self._last_states and
                    self._last_states[0] in self.NO_FETCH_STATES)

    def fetch_jobs(self, ensure_fresh=False):
        """Every job on the board, without asking each one's owner
        (TaskFlow: ``_fetch_jobs``; ``iterjobs`` asks)."""
        return self._fetch_jobs(ensure_fresh)

    def remove_job(self, job):
        """Forget a job whose node is gone (TaskFlow: ``_remove_job``,
        what its own iterator calls)."""
        self._remove_job(job.path)


class ClaimListenerHooks(claims.CheckingClaimListener):
    """TaskFlow's claim-checking listener with its predicate public.

    The listener suspends the engine when ``_has_been_lost`` says so;
    only ``on_job_loss`` (what to do) is public, not how to tell.
    """

    def _has_been_lost(self):
        # The predicate TaskFlow asks on every state change.
        return self.claim_lost()

    def claim_lost(self):
        """Whether the claim is gone (TaskFlow's: ask the board)."""
        return super()._has_been_lost()


class ListenerHooks(listener_base.Listener):
    """TaskFlow's listener base with its task receiver public.

    ``register`` subscribes ``_task_receiver``, which TaskFlow's own
    listeners override; there is no public name for it.
    """

    def _task_receiver(self, state, details):
        # Called by the engine's atom notifier for each task state.
        self.task_state_changed(state, details)

    def task_state_changed(self, state, details):
        """A task of the engine moved to ``state``."""
