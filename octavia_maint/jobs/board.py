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

from kazoo import client as kazoo_client
from kazoo import exceptions as kazoo_exc
from oslo_log import log as logging
from taskflow import exceptions as taskflow_exc
from taskflow.jobs import base
import tenacity

from octavia_maint.jobs import taskflow_private
from octavia_maint.jobs import zookeeper

LOG = logging.getLogger(__name__)

# The board job detail listing the jobs a batch carries (jobs/children.py).
JOBS_DETAIL = 'jobs'

# A job's end (consumed, abandoned) must reach the board even when
# ZooKeeper restarts just then: otherwise a finished job stays claimed
# until the session expires, and is run again by the next owner.
_UNTIL_ZOOKEEPER_ANSWERS = tenacity.retry(
    retry=tenacity.retry_if_exception(zookeeper.connection_lost),
    stop=tenacity.stop_after_delay(zookeeper.RECONNECT_SECONDS),
    wait=tenacity.wait_exponential(multiplier=0.2, max=2.0),
    before_sleep=lambda state: LOG.info(
        'ZooKeeper away (%s); trying again', state.outcome.exception()),
    reraise=True)


def job_ids(board_job):
    """The ids of the jobs ``board_job`` carries: a batch's (children of
    one campaign, posted together), else the one of its logbook."""
    return board_job.details.get(JOBS_DETAIL) or [board_job.book_uuid]


def label(board_job):
    """How log lines name ``board_job``: its job id, or its batch."""
    if board_job.book_uuid:
        return board_job.book_uuid
    return 'batch %s (%d jobs)' % (
        board_job.uuid, len(board_job.details.get(JOBS_DETAIL, ())))


class Member:
    """One job of a board job, as a conductor runs it: the board job's
    claim, consumption and owner, the job's own id and state.

    A batch's jobs run side by side under the batch's one claim; each is
    given to TaskFlow's dispatch as a job of its own.
    """

    def __init__(self, board_job, job_id):
        self.board_job = board_job
        self.book_uuid = job_id
        # Unique per job of the batch: the conductor keys its runs by it.
        self.uuid = '%s/%s' % (board_job.uuid, job_id)

    def __getattr__(self, name):
        return getattr(self.board_job, name)

    def __str__(self):
        return 'job %s' % self.book_uuid


def members(board_job):
    """The jobs ``board_job`` carries, each as a :class:`Member`."""
    return [Member(board_job, job_id) for job_id in job_ids(board_job)]


class ZooKeeperBoard(taskflow_private.ZooKeeperBoardHooks):
    """The ZooKeeper board, knowing which jobs hold a claim node."""

    def __init__(self, *args, **kwargs):
        self._claimed = frozenset()
        super().__init__(*args, **kwargs)

    def saw_children(self, children):
        suffix = self.LOCK_POSTFIX
        self._claimed = frozenset(c[:-len(suffix)] for c in children
                                  if c.endswith(suffix))

    def claim(self, job, who):
        """Claim ``job`` for ``who``; a claim whose reply was lost with
        the connection but that reached ZooKeeper counts as made.

        Its claim node lives on in our session, which outlives a short
        ZooKeeper restart: no other conductor can claim the job, and this
        one, told the claim failed, would never run it. Seen in CI as a
        campaign waiting for ever on one child. So after a claim cut off
        by ZooKeeper, the board is asked who owns the job (once
        ZooKeeper answers again); a claim that did not arrive still
        fails, and the job is claimed on a later pass.
        """
        try:
            super().claim(job, who)
        except taskflow_exc.JobFailure as e:
            if not zookeeper.connection_lost(e):
                raise
            try:
                owner = self.owner_of(job)
            except Exception:
                raise e
            if owner != who:
                raise
            LOG.info('Job %s: the claim reached ZooKeeper before the '
                     'connection dropped; it is ours', label(job))

    @_UNTIL_ZOOKEEPER_ANSWERS
    def consume(self, job, who):
        try:
            super().consume(job, who)
        except taskflow_exc.NotFound:
            # Our session expired while the job ran (ZooKeeper away for
            # longer than it): the claim is gone. The next owner finds
            # the job finished and consumes it.
            LOG.warning('Job %s finished, but its claim was lost meanwhile; '
                        'the next conductor to claim it consumes it',
                        label(job))

    @_UNTIL_ZOOKEEPER_ANSWERS
    def abandon(self, job, who):
        try:
            super().abandon(job, who)
        except taskflow_exc.NotFound:
            LOG.info('Job %s: its claim was already gone', label(job))
        except taskflow_exc.JobFailure as e:
            # A conductor woken past its session (SIGSTOP, a VM paused)
            # finds its jobs claimed by another: nothing of ours to give
            # back. Anything else (ZooKeeper away) is retried or raised.
            if zookeeper.connection_lost(e):
                raise
            owner = self.find_owner(job)
            if owner == who:
                raise
            LOG.info('Job %s: claimed by %s meanwhile; nothing to abandon',
                     label(job), owner)

    @_UNTIL_ZOOKEEPER_ANSWERS
    def jobs_by_book(self):
        """``{job_id: board job}`` of every job on the board, claimed or not
        (each job of a batch maps to the batch's board job).

        One listing of the board, without asking each job's owner. While
        the connection is down TaskFlow lists no jobs at all, which would
        tell a campaign that every child got lost (and post them all
        again) and ``job show`` that nothing is queued: list only once
        connected, else raise ConnectionLoss, which the retry waits out.
        """
        if (not zookeeper.wait_connected(self.zookeeper_client) or
                self.listing_paused()):
            raise kazoo_exc.ConnectionLoss('not connected to ZooKeeper')
        return {job_id: job for job in self.fetch_jobs(ensure_fresh=True)
                for job_id in job_ids(job)}

    @_UNTIL_ZOOKEEPER_ANSWERS
    def owner_of(self, job):
        """The conductor that claims ``job``, or None; waits out a
        ZooKeeper that is away, so ``job show`` does not fail then."""
        return self.find_owner(job)

    def iter_unclaimed(self, ensure_fresh=False):
        """Jobs nobody claims, as of the last children event.

        The list may be a moment old either way; that costs at most a
        failed claim attempt, or a job claimed on the next pass.
        """
        def fetch(ensure_fresh=False):
            if (self.zookeeper_client.state !=
                    kazoo_client.KazooState.CONNECTED):
                return []   # nothing can be claimed while ZooKeeper is away
            claimed = self._claimed
            return [job for job in self.fetch_jobs(ensure_fresh)
                    if job.path.rsplit('/', 1)[-1] not in claimed]

        return base.JobBoardIterator(
            self, LOG, only_unclaimed=True, ensure_fresh=ensure_fresh,
            board_fetch_func=fetch,
            board_removal_func=self.remove_job)


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
