"""The failovers this cloud ran: how long each took, kept in persistence.

Estimates (dry runs, rehearsals, ``job show``'s ETA) are only as good as
the duration they assume; a fixed ``[throttle] expected_failover_seconds``
was off by four on the simulator. Every failover a job of ours ran ends
here, with its topology and end time, under the identity of the cloud it
ran on (several clouds may share one database). Only the newest
``KEEP_PER_TOPOLOGY`` of each cloud and topology are kept: estimates
want the recent behaviour, and the table stays small.

The table is ours, beside TaskFlow's, in the same database; it is created
on first use if missing, the same way on SQLite, MariaDB and PostgreSQL.
"""

import threading

from oslo_log import log as logging
from oslo_utils import timeutils
import sqlalchemy as sa

from octavia_maint.common import estimates
from octavia_maint.jobs import persistence
from octavia_maint.runtime import context as runtime_context

LOG = logging.getLogger(__name__)

TABLE_NAME = 'octavia_maint_failover_history'
KEEP_PER_TOPOLOGY = 50
# Longer than an auth URL and a region name usually are; a longer one is
# cut (it still identifies the cloud among those sharing a database).
CLOUD_KEY_LENGTH = 255

_METADATA = sa.MetaData()
FAILOVERS = sa.Table(
    TABLE_NAME, _METADATA,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('cloud', sa.String(CLOUD_KEY_LENGTH), nullable=False),
    sa.Column('topology', sa.String(32), nullable=False),
    sa.Column('seconds', sa.Float, nullable=False),
    sa.Column('ended_at', sa.DateTime, nullable=False),
    sa.Column('campaign_id', sa.String(36)),
    sa.Index('ix_octavia_maint_failover_history_cloud',
             'cloud', 'topology', 'id'),
)


def ensure_table(engine):
    """Create the table unless it exists; safe when two processes race.

    :raises sqlalchemy.exc.SQLAlchemyError: the database refused.
    """
    try:
        _METADATA.create_all(engine, checkfirst=True)
    except sa.exc.SQLAlchemyError:
        # Another conductor created it between our look and our CREATE.
        if not sa.inspect(engine).has_table(TABLE_NAME):
            raise


class FailoverHistory:
    """This cloud's recent failovers, by topology.

    :param engine: the persistence database's SQLAlchemy engine.
    :param cloud_key: ``() -> str``, the cloud's identity (auth URL and
        region, no secret); asked once, on first use.
    :param clock: ``() -> datetime`` (naive UTC), for tests.
    :param transaction: ``(write) -> result``, running ``write(connection)``
        in a committed write transaction: the persistence backend's, which
        shares it with other saves of the moment (jobs/group_commit.py);
        when None, a transaction of ``engine`` of its own.
    """

    def __init__(self, engine, cloud_key, clock=timeutils.utcnow,
                 transaction=None):
        self._engine = engine
        self._transaction = transaction or self._own_transaction
        self._cloud_key = cloud_key
        self._key = None
        self._clock = clock
        self._ready = False
        self._lock = threading.Lock()

    @property
    def cloud(self):
        if self._key is None:
            self._key = self._cloud_key()[:CLOUD_KEY_LENGTH]
        return self._key

    def _table(self):
        with self._lock:
            if not self._ready:
                ensure_table(self._engine)
                self._ready = True
        return FAILOVERS

    def record(self, topology, seconds, campaign_id=None):
        """One failover of a ``topology`` load balancer took ``seconds``,
        ending now; the oldest beyond ``KEEP_PER_TOPOLOGY`` go.

        A database that refuses the row is logged, not raised: a failover
        that succeeded in the cloud must not fail for its statistics.
        """
        try:
            self._record(topology, seconds, campaign_id)
        except sa.exc.SQLAlchemyError as e:
            LOG.warning('Failover history not saved (%s failover of %.0fs): '
                        '%s', topology, seconds, e)

    def _record(self, topology, seconds, campaign_id):
        table = self._table()
        mine = sa.and_(table.c.cloud == self.cloud,
                       table.c.topology == topology)
        ended_at = self._clock()

        def write(c):
            c.execute(table.insert().values(
                cloud=self.cloud, topology=topology, seconds=float(seconds),
                ended_at=ended_at, campaign_id=campaign_id))
            # The id of the oldest one kept: a LIMIT inside IN (...) is
            # refused by MariaDB, this is portable.
            oldest_kept = c.execute(
                sa.select(table.c.id).where(mine).order_by(
                    table.c.id.desc()).offset(KEEP_PER_TOPOLOGY - 1).limit(1)
            ).scalar()
            if oldest_kept is not None:
                c.execute(table.delete().where(mine,
                                               table.c.id < oldest_kept))
        self._transaction(write)

    def _own_transaction(self, write):
        with self._engine.begin() as c:
            return write(c)

    def seconds(self, topology=None):
        """Durations of the kept failovers, newest first; of every
        topology with None."""
        return _of(self._kept(), topology)

    def _kept(self):
        """``[(topology, seconds)]`` of this cloud, newest first: one
        query, at most ``KEEP_PER_TOPOLOGY`` rows per topology."""
        table = self._table()
        query = sa.select(table.c.topology, table.c.seconds).where(
            table.c.cloud == self.cloud).order_by(table.c.id.desc())
        with self._engine.connect() as c:
            return [(row.topology, row.seconds) for row in c.execute(query)]

    def figures(self, topology=None):
        """Median and p90 of this cloud's recent ``topology`` failovers
        (every topology with None), or None without history.

        The one lookup estimates use: dry runs, ``job show``'s ETA, and a
        rehearsal drawing failover durations for its simulator.

        :returns: :class:`octavia_maint.common.estimates.Figures` or None.
        """
        return estimates.summarize(self.seconds(topology))

    def failover_times(self, expected_seconds):
        """A :class:`estimates.FailoverTimes` over this history as it is
        now, read once (``job show`` asks every second while it follows
        a job)."""
        kept = self._kept()
        return estimates.FailoverTimes(
            lambda topology: estimates.summarize(_of(kept, topology)),
            expected_seconds)


def failover_times_of(conf, connection=None):
    """This cloud's :class:`estimates.FailoverTimes`, read from the
    persistence database alone.

    For commands that only estimate (a rehearsal, ``fleet snapshot``):
    no job board is opened, so they do not need ZooKeeper; a default
    database this read created is removed again if it holds no job.
    """
    backend = persistence.open_backend(conf)
    cloud = runtime_context.open_cloud(conf, connection)
    try:
        return FailoverHistory(backend.engine, cloud.cloud_key).failover_times(
            conf.throttle.expected_failover_seconds)
    finally:
        cloud.close()
        persistence.close_backend(backend, discard_unused=True)


def _of(kept, topology):
    """The seconds of ``kept`` rows of ``topology`` (None: all)."""
    return [seconds for kind, seconds in kept
            if topology is None or kind == topology]
