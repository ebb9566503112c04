"""The job context the runner installs for the tasks of one job.

It answers the tasks' three questions: may I take another step (not
cancelled, claim still mine), which throttle and breaker do I share, and,
for a campaign, where do my children go.
"""

from octavia_maint.common import exceptions
from octavia_maint.runtime import context


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
        self._claim = claim

    def check_active(self):
        for job_id in filter(None, (self.job_id, self.parent_id)):
            if self.store.get_book(job_id).meta.get('cancel_requested'):
                raise exceptions.JobCancelled(job_id=job_id)
        if self._claim is not None:
            self._claim.check()


class BoardClaim:
    """Whether this conductor still owns a job on the ZooKeeper board."""

    def __init__(self, board, job, owner):
        self._board = board
        self._job = job
        self._owner = owner

    def check(self):
        """:raises ClaimLost: the board says another owner, or none."""
        try:
            owner = self._board.find_owner(self._job)
        except Exception:
            owner = None
        if owner != self._owner:
            raise exceptions.ClaimLost(owner=self._owner,
                                       job_id=self._job.book_uuid)


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
            return attribute(*args, **kwargs)
        return guarded
