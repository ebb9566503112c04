"""Everything a process needs to post, run and inspect jobs, from config.

``[jobboard] backend = zookeeper``: jobs go on TaskFlow's ZooKeeper board,
the failover throttle is a kazoo Semaphore and breakers are kazoo
Counters, all through one kazoo client. ``local``: no ZooKeeper; the CLI
process runs jobs itself and shares throttle and breakers in memory.
Either way the flow state lives in the ``[persistence]`` database.
"""

from kazoo import exceptions as kazoo_exc
from oslo_log import log as logging
from taskflow import exceptions as tf_exc

from octavia_maint.common import exceptions
from octavia_maint.jobs import board as board_mod
from octavia_maint.jobs import children
from octavia_maint.jobs import context
from octavia_maint.jobs import history
from octavia_maint.jobs import persistence
from octavia_maint.jobs import zookeeper
from octavia_maint.runtime import breaker
from octavia_maint.runtime import durations
from octavia_maint.runtime import context as runtime_context
from octavia_maint.runtime import throttle

LOG = logging.getLogger(__name__)

BOARD_NAME = 'octavia-maint'


class JobBackend:
    """Persistence plus, on a board, ZooKeeper; closed with ``close()``."""

    def __init__(self, conf, identity=None, connection=None):
        self.conf = conf
        self.local = conf.jobboard.backend == 'local'
        self.persistence = persistence.open_backend(conf)
        self.store = persistence.JobStore(self.persistence)
        self.client = None
        self._throttle_client = None
        self.board = None
        self._cloud = None
        # What every job run here learns of how long failovers take.
        self.failover_durations = durations.FailoverDurations()
        # How long this cloud's failovers took, kept for estimates.
        self.failover_history = history.FailoverHistory(
            self.persistence.engine, lambda: self.cloud.cloud_key(),
            transaction=self.persistence.transaction)
        # An openstacksdk Connection made by the caller (the openstack
        # CLI's session), else one is built from [cloud].
        self._connection = connection
        try:
            self._open_coordination(identity)
        except Exception:
            self.close(discard_unused=True)
            raise

    def _open_coordination(self, identity):
        """Throttle and breakers: in memory, or on ZooKeeper with the
        board."""
        conf = self.conf
        if self.local:
            self.throttle = throttle.LocalThrottle(
                conf.throttle.max_concurrent_failovers,
                conf.throttle.min_interval_seconds)
            self.breakers = breaker.LocalBreakers()
        else:
            self.client = zookeeper.make_client(conf)
            self.board = board_mod.ZooKeeperBoard(
                BOARD_NAME, {'path': zookeeper.board_path(conf)},
                client=self.client, persistence=self.persistence)
            self._connect_board()
            # The throttle gets a session of its own: its lock hand-offs
            # must not queue behind the board's traffic on one connection.
            self._throttle_client = zookeeper.make_client(conf)
            self.throttle = throttle.ZooKeeperThrottle(
                self._throttle_client, zookeeper.throttle_path(conf),
                conf.throttle.max_concurrent_failovers,
                conf.throttle.min_interval_seconds, identifier=identity)
            self.breakers = breaker.ZooKeeperBreakers(
                self.client, zookeeper.breakers_path(conf))

    def _connect_board(self):
        """Connect the board; ZooKeeper refusing our credentials is a
        configuration error (taskflow wraps kazoo's ``NoAuthError``).

        :raises ConfigError: the digest credentials are wrong.
        """
        try:
            self.board.connect(timeout=self.conf.jobboard.connect_timeout)
        except tf_exc.JobFailure as e:
            if not isinstance(e.cause, kazoo_exc.NoAuthError):
                raise
            # The client is left to the process's exit (its threads are
            # daemons): stopping it would make the board, still listening
            # to it, warn that the connection was lost.
            self.client = self.board = None
            raise exceptions.ConfigError(
                reason='ZooKeeper at %s refused access to %s; check '
                       '[jobboard] auth_username/auth_password' % (
                           ','.join(self.conf.jobboard.hosts),
                           self.conf.jobboard.path))

    @property
    def cloud(self):
        """One cloud facade (one token, one HTTP pool) for every job here."""
        if self._cloud is None:
            self._cloud = runtime_context.open_cloud(self.conf,
                                                     self._connection)
        return self._cloud

    def running_job(self, job_id, children_dispatch, claim=None):
        """The context for running ``job_id`` in this process."""
        parent = self.store.book_meta(job_id).get('parent')
        running = context.RunningJob(job_id, self.cloud, self.store,
                                     children_dispatch, self.throttle,
                                     self.breakers, parent_id=parent,
                                     claim=claim)
        running.failover_durations = self.failover_durations
        running.failover_history = self.failover_history
        return running

    def board_children(self):
        return children.BoardChildren(self)

    def jobs_on_board(self):
        """``{job_id: board job}`` of the jobs posted and not consumed."""
        if self.board is None:
            return {}
        return self.board.jobs_by_book()

    def post(self, job_id):
        """Put a saved job on the board for conductors to claim."""
        book = self.store.get_book(job_id)
        self.board.post(book.name, book=book, details={
            'flow_uuid': persistence.flow_uuid(book.uuid)})

    def post_batch(self, name, job_ids):
        """Put saved jobs on the board as one board job (a batch), which
        one conductor claims and runs whole (jobs/children.py)."""
        self.board.post(name, details={board_mod.JOBS_DETAIL: list(job_ids)})

    def close(self, discard_unused=False):
        """Close everything; ``discard_unused`` (a run that failed) also
        removes a default database this process created and left empty."""
        if self._cloud is not None:
            self._cloud.close()
        if self.board is not None:
            self.board.close()
        for client in (self.client, self._throttle_client):
            if client is not None:
                client.stop()
                client.close()
        persistence.close_backend(self.persistence, discard_unused)
