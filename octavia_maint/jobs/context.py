"""The job context the runner installs for the tasks of one job.

It answers the tasks' three questions: may I take another step (not
cancelled, claim still mine), which throttle and breaker do I share, and,
for a campaign, where do my children go.
"""

from octavia_maint.common import exceptions
from octavia_maint.runtime import context


class RunningJob(context.JobContext):
    """The context of a job run by a conductor or by the CLI locally."""

    def __init__(self, job_id, store, children, failover_throttle, breakers,
                 parent_id=None, claim=None):
        super().__init__(job_id=job_id, failover_throttle=failover_throttle,
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
