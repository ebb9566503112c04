"""Where amphora rows live: Octavia's ``amphora`` table, mirrored in memory.

The table (``database.py``) is the record: every change the simulator
makes is written through to it, and a change another process commits
(an operator's UPDATE of ``cert_expiration``) is read back before the next
read, so the API, the health manager and housekeeping all see it. The
mirror only makes reads cheap: listing 20,000 amphorae from SQLite for
every page would cost a third of a second each.

Callers treat the returned objects as read-only snapshots; changes go
through :meth:`update`. Fields Octavia keeps elsewhere (the agent's
heartbeat key, since when the health manager misses it) stay in the
mirror only. Inserts made inside :meth:`batch` go in one statement at its
end, so seeding a large fleet costs one statement.
"""

import contextlib
import datetime

import sqlalchemy as sa

from octavia_maint.simulator.octavia import database
from octavia_maint.simulator.octavia import models

TABLE = database.AMPHORA
# Model field -> table column, where Octavia's names differ from the API's.
COLUMN_OF = {'loadbalancer_id': 'load_balancer_id'}
FIELD_OF = {column: field for field, column in COLUMN_OF.items()}
# Model field -> column, for every column, in the table's order.
COLUMNS = {FIELD_OF.get(c.name, c.name): c.name for c in TABLE.columns}
TIMESTAMPS = frozenset(models.TIMESTAMP_FIELDS)
UTC = datetime.timezone.utc


def _to_column(field, value):
    if field in TIMESTAMPS and value is not None:
        return datetime.datetime.fromtimestamp(value, UTC).replace(
            tzinfo=None)
    return value


def _from_text(field, value):
    """A value as SQLite returns it (timestamps as text) -> model value."""
    if field in TIMESTAMPS and value is not None:
        return datetime.datetime.fromisoformat(value).replace(
            tzinfo=UTC).timestamp()
    if field == 'cert_busy':
        return bool(value)
    return value


class AmphoraRepository:
    """Amphora rows by id, indexed by load balancer.

    :param db: the :class:`database.OctaviaDatabase`; its table is
        emptied, in the same transaction as the first write of this
        repository, so a failed rebuild leaves the previous rows alone.
    """

    def __init__(self, db):
        self._db = db
        self._rows = {}
        self._by_lb = {}
        self._pending = []
        self._batching = False
        self._replace = True
        self._seen_version = db.data_version()

    def __len__(self):
        self._sync()
        return len(self._rows)

    def add(self, amphora):
        self._remember(amphora)
        self._pending.append(amphora)
        if not self._batching:
            self._write()

    @contextlib.contextmanager
    def batch(self):
        """Insert the rows added inside in one statement at the end (fleet
        seeding); nothing is written if the block fails."""
        self._batching = True
        try:
            yield
        finally:
            self._batching = False
        self._write()

    def get(self, amphora_id):
        """The amphora, or None when there is none (or it was deleted)."""
        self._sync()
        return self._rows.get(amphora_id)

    def update(self, amphora_id, **changes):
        """Change columns of one row; :returns: the updated amphora.

        A change of the mirror's own fields only touches no table.
        """
        stored = {COLUMNS[f]: _to_column(f, v) for f, v in changes.items()
                  if f in COLUMNS}
        if stored:
            self._sync()
        amphora = self._rows[amphora_id]
        for column in changes:
            if not hasattr(amphora, column):
                raise AttributeError(column)
        if stored:
            self._write(TABLE.update().where(TABLE.c.id == amphora_id)
                        .values(**stored))
        for column, value in changes.items():
            setattr(amphora, column, value)
        return amphora

    def delete(self, amphora_id):
        """Remove a row (Octavia marks it DELETED, which the API hides)."""
        self._sync()
        self._write(TABLE.delete().where(TABLE.c.id == amphora_id))
        amphora = self._rows.pop(amphora_id)
        self._forget_lb(amphora.loadbalancer_id, amphora_id)

    def all(self):
        self._sync()
        return list(self._rows.values())

    def by_load_balancer(self, lb_id):
        self._sync()
        return [self._rows[i] for i in self._by_lb.get(lb_id, ())]

    def cert_expiring(self, before):
        """Allocated amphorae whose certificate expires before ``before``
        and that are not already being rotated (housekeeping's query)."""
        self._sync()
        return [a for a in self._rows.values()
                if a.cert_expiration < before and not a.cert_busy
                and a.status == models.AMPHORA_ALLOCATED]

    # -- the table -------------------------------------------------------

    def _write(self, statement=None):
        """Flush pending inserts, then run ``statement``, in one commit."""
        connection = self._db.connection
        if self._replace:
            connection.execute(TABLE.delete())
            self._replace = False
        if self._pending:
            # executemany on the driver: SQLAlchemy's per-value processing
            # would triple the time to seed 20,000 amphorae.
            insert = _Statements.of(connection)
            connection.exec_driver_sql(
                insert.insert, [insert.row(a) for a in self._pending])
            self._pending = []
        if statement is not None:
            connection.execute(statement)
        connection.commit()

    def _sync(self):
        """Write what is pending; re-read the table if another process
        committed to it since we last looked."""
        if self._pending or self._replace:
            self._write()
        version = self._db.data_version()
        if version != self._seen_version:
            self._reload()
            self._seen_version = version

    def _reload(self):
        """Take every column of the table as the truth; keep the mirror's
        own fields (heartbeat) of the amphorae that are still there."""
        previous, self._rows, self._by_lb = self._rows, {}, {}
        connection = self._db.connection
        rows = connection.exec_driver_sql(
            _Statements.of(connection).select).all()
        connection.commit()
        fields = list(COLUMNS)
        for row in rows:
            values = {f: _from_text(f, v) for f, v in zip(fields, row)}
            old = previous.get(values['id'])
            if old is not None:
                for field, value in values.items():
                    setattr(old, field, value)
                self._remember(old)
            else:
                self._remember(models.Amphora(**values))

    def _remember(self, amphora):
        self._rows[amphora.id] = amphora
        self._by_lb.setdefault(amphora.loadbalancer_id, {})[amphora.id] = None

    def _forget_lb(self, lb_id, amphora_id):
        siblings = self._by_lb.get(lb_id, {})
        siblings.pop(amphora_id, None)
        if not siblings:
            self._by_lb.pop(lb_id, None)


class _Statements:
    """The driver-level INSERT and SELECT of every column, and how a
    model's values become the driver's (timestamps in the text form
    SQLAlchemy's DateTime stores in SQLite, so both agree)."""

    _cache = {}

    def __init__(self, dialect):
        columns = [TABLE.c[c] for c in COLUMNS.values()]
        self.insert = str(TABLE.insert().compile(dialect=dialect))
        self.select = str(sa.select(*columns).compile(dialect=dialect))
        self._convert = [
            (field, column.type.dialect_impl(dialect).bind_processor(dialect)
             if field in TIMESTAMPS else None)
            for field, column in zip(COLUMNS, columns)]

    @classmethod
    def of(cls, connection):
        dialect = connection.dialect
        if dialect not in cls._cache:
            cls._cache[dialect] = cls(dialect)
        return cls._cache[dialect]

    def row(self, amphora):
        return tuple(
            getattr(amphora, field) if convert is None
            else convert(_to_column(field, getattr(amphora, field)))
            for field, convert in self._convert)
