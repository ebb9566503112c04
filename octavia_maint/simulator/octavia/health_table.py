"""Octavia's ``amphora_health`` table, kept in a real database.

Octavia's API says nothing about heartbeats: whether the health manager
hears an amphora is only in its database, ``amphora_health.last_update``
(the time of the last heartbeat it accepted; it fails over an amphora whose
row is older than ``heartbeat_timeout``). Tools that must know, such as
heartbeat-key's check that a configure fixed an amphora, read that row, so
the simulator keeps the table with Octavia's columns in a database that
another process can open.

Writes are queued by the model and applied by :meth:`flush` in one
transaction (the cloud flushes after every request and tick), so seeding
20,000 amphorae costs one transaction. Heartbeats are one statement per
``heartbeat_interval``: every row not listed in the simulator's own
bookkeeping table of rejected amphorae (not one of Octavia's) is stamped.
"""

import datetime

import sqlalchemy as sa

METADATA = sa.MetaData()
AMPHORA_HEALTH = sa.Table(
    'amphora_health', METADATA,
    sa.Column('amphora_id', sa.String(36), primary_key=True),
    sa.Column('last_update', sa.DateTime, nullable=False),
    sa.Column('busy', sa.Boolean, nullable=False, default=False))
REJECTED = sa.Table(
    'sim_rejected_heartbeat', METADATA,
    sa.Column('amphora_id', sa.String(36), primary_key=True))

_INSERT, _DELETE, _REJECT, _ACCEPT, _STAMP = range(5)


def utc(epoch_seconds):
    """Octavia's DateTime columns hold naive UTC."""
    return datetime.datetime.fromtimestamp(
        epoch_seconds, datetime.timezone.utc).replace(tzinfo=None)


class HealthTable:
    """Queued writes to ``amphora_health``."""

    def __init__(self, connection):
        # The amphora rows' own connection: a commit by another connection
        # would make the amphora repository re-read every row.
        self._connection = connection
        self._pending = []
        METADATA.drop_all(connection)
        METADATA.create_all(connection)
        connection.commit()

    def heard(self, amphora_id, when):
        """A new amphora's first heartbeat arrived (row created)."""
        self._pending.append((_INSERT, amphora_id, when))

    def remove(self, amphora_id):
        self._pending.append((_DELETE, amphora_id, None))

    def rejected(self, amphora_id):
        """From now on the amphora's heartbeats are dropped."""
        self._pending.append((_REJECT, amphora_id, None))

    def accepted(self, amphora_id, when):
        """Its heartbeats are accepted again, the first one at ``when``."""
        self._pending.append((_ACCEPT, amphora_id, when))

    def stamp(self, when):
        """Every amphora whose heartbeats are accepted sent one."""
        self._pending.append((_STAMP, None, when))

    def flush(self):
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        for kind, rows in _batches(pending):
            _apply(self._connection, kind, rows)
        self._connection.commit()


def _batches(pending):
    """Consecutive writes of one kind, as one batch (stamps: the last)."""
    batch_kind, rows = None, []
    for kind, amphora_id, when in pending:
        if kind != batch_kind and rows:
            yield batch_kind, rows
            rows = []
        batch_kind = kind
        if kind == _STAMP:
            rows = [(None, when)]
        else:
            rows.append((amphora_id, when))
    if rows:
        yield batch_kind, rows


def _apply(conn, kind, rows):
    health, rejected = AMPHORA_HEALTH, REJECTED
    if kind == _INSERT:
        # Seeding inserts 20,000 rows: the driver's executemany is five
        # times faster than SQLAlchemy's per-row processing.
        conn.exec_driver_sql(
            'INSERT INTO amphora_health (amphora_id, last_update, busy) '
            'VALUES (?, ?, 0)',
            [(a, utc(w).isoformat(sep=' ', timespec='microseconds'))
             for a, w in rows])
    elif kind == _DELETE:
        ids = [a for a, _w in rows]
        conn.execute(health.delete().where(health.c.amphora_id.in_(ids)))
        conn.execute(rejected.delete().where(
            rejected.c.amphora_id.in_(ids)))
    elif kind == _REJECT:
        conn.exec_driver_sql(
            'INSERT OR IGNORE INTO sim_rejected_heartbeat (amphora_id) '
            'VALUES (?)', [(a,) for a, _w in rows])
    elif kind == _ACCEPT:
        ids = [a for a, _w in rows]
        conn.execute(rejected.delete().where(
            rejected.c.amphora_id.in_(ids)))
        conn.execute(health.update().where(
            health.c.amphora_id == sa.bindparam('id')).values(
                last_update=sa.bindparam('at')),
            [{'id': a, 'at': utc(w)} for a, w in rows])
    else:
        (_none, when), = rows
        conn.execute(health.update().where(
            health.c.amphora_id.not_in(sa.select(rejected.c.amphora_id)))
            .values(last_update=utc(when)))
