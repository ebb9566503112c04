"""TaskFlow's ZooKeeper job board, with a claim loop that scales.

TaskFlow's conductor walks the whole board on every pass and asks
ZooKeeper for each job's owner and data (three round trips per job) only
to skip the jobs already claimed. A campaign keeps hundreds of children
on the board, most of them claimed, so a conductor spent most of its
time and its ZooKeeper connection on that walk, and new children waited
seconds to be claimed. Yet the board's own children watch already lists
every claim: a claim is a ``<job>.lock`` node beside the job's node. The
conductor's walk here leaves those jobs out before asking anything.
"""

from oslo_log import log as logging
from taskflow.jobs.backends import impl_zookeeper
from taskflow.jobs import base

LOG = logging.getLogger(__name__)


class ZooKeeperBoard(impl_zookeeper.ZookeeperJobBoard):
    """The ZooKeeper board, knowing which jobs hold a claim node."""

    def __init__(self, *args, **kwargs):
        self._claimed = frozenset()
        super().__init__(*args, **kwargs)

    def _on_job_posting(self, children, delayed=True):
        suffix = self.LOCK_POSTFIX
        self._claimed = frozenset(c[:-len(suffix)] for c in children
                                  if c.endswith(suffix))
        super()._on_job_posting(children, delayed=delayed)

    def book_ids(self):
        """Ids of every job on the board, claimed or not.

        One listing of the board, without asking each job's owner.
        """
        return {job.book_uuid for job in self._fetch_jobs(ensure_fresh=True)}

    def iter_unclaimed(self, ensure_fresh=False):
        """Jobs nobody claims, as of the last children event.

        The list may be a moment old either way; that costs at most a
        failed claim attempt, or a job claimed on the next pass.
        """
        def fetch(ensure_fresh=False):
            claimed = self._claimed
            return [job for job in self._fetch_jobs(ensure_fresh)
                    if job.path.rsplit('/', 1)[-1] not in claimed]

        return base.JobBoardIterator(
            self, LOG, only_unclaimed=True, ensure_fresh=ensure_fresh,
            board_fetch_func=fetch,
            board_removal_func=lambda job: self._remove_job(job.path))


class UnclaimedJobs:
    """The board as a conductor's claim loop should see it.

    TaskFlow's conductor calls ``iterjobs()`` to find work; here that
    walks only the unclaimed jobs. Everything else is the board's.
    """

    def __init__(self, board):
        self._board = board

    def iterjobs(self, only_unclaimed=True, ensure_fresh=False):
        return self._board.iter_unclaimed(ensure_fresh=ensure_fresh)

    def __getattr__(self, name):
        return getattr(self._board, name)
