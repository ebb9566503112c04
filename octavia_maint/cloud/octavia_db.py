"""Octavia's own database, for the one change its API cannot make.

The Operator Maintenance Guide's way to make Octavia rotate an amphora's
certificate now is to move ``amphora.cert_expiration`` into the past: the
housekeeping service then issues a new certificate, pushes it to the
amphora and writes the new date. This module does exactly that and
nothing else, with SQLAlchemy Core on the three columns it needs
(``id``, ``cert_expiration``, ``cert_busy``), so it works on whatever
database Octavia uses (MySQL/MariaDB, PostgreSQL, SQLite).

Dates travel as ISO 8601 strings of Octavia's naive UTC values, so the
originals can be saved with a job and written back exactly.
"""

import datetime

from oslo_log import log as logging
import sqlalchemy as sa

from octavia_maint.cloud import retry
from octavia_maint.common import database_url
from octavia_maint.common import exceptions

LOG = logging.getLogger(__name__)

# What "expired" is set to: far enough in the past that every housekeeping
# picks the row up, and recognisable when reverting.
EXPIRED = datetime.datetime(2000, 1, 1)
# Seconds to wait for a MySQL or PostgreSQL server to answer.
CONNECT_TIMEOUT = 5

_METADATA = sa.MetaData()
# Only the columns we read or write (octavia/db/models.py:Amphora).
AMPHORA = sa.Table(
    'amphora', _METADATA,
    sa.Column('id', sa.String(36), primary_key=True),
    sa.Column('cert_expiration', sa.DateTime(timezone=True)),
    sa.Column('cert_busy', sa.Boolean(), nullable=False),
)


def _iso(value):
    return None if value is None else value.isoformat()


def _datetime(text):
    return datetime.datetime.fromisoformat(text)


class OctaviaDatabase:
    """The ``amphora`` table of Octavia's database at ``url``.

    The engine is made on first use; nothing connects before.
    """

    def __init__(self, url):
        self._url = sa.engine.make_url(
            database_url.with_installed_driver(url))
        self._engine = None

    @classmethod
    def from_conf(cls, conf):
        """:raises ConfigError: ``[octavia_db] connection`` is not set or
            not a database URL."""
        url = conf.octavia_db.connection
        if not url:
            raise exceptions.ConfigError(
                reason='[octavia_db] connection is not set: give the URL of '
                       'Octavia\'s database (as its [database] connection)')
        try:
            return cls(url)
        except sa.exc.ArgumentError:
            raise exceptions.ConfigError(
                reason='[octavia_db] connection is not a database URL')

    def close(self):
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @property
    def engine(self):
        if self._engine is None:
            connect_args = {}
            if self._url.get_backend_name() in ('mysql', 'postgresql'):
                connect_args['connect_timeout'] = CONNECT_TIMEOUT
            self._engine = sa.create_engine(self._url,
                                            connect_args=connect_args,
                                            pool_pre_ping=True)
        return self._engine

    def check(self):
        """Make sure the database answers and has Octavia's amphora table.

        :raises ConfigError: it does not (one line, password hidden).
        """
        try:
            with self.engine.connect() as connection:
                columns = {c['name'] for c in
                           sa.inspect(connection).get_columns('amphora')}
        except sa.exc.NoSuchTableError:
            raise exceptions.ConfigError(
                reason='Octavia\'s database at %s has no amphora table'
                % self._shown_url())
        except sa.exc.SQLAlchemyError as e:
            raise self._unreachable(e)
        missing = set(AMPHORA.c.keys()) - columns
        if missing:
            raise exceptions.ConfigError(
                reason='the amphora table at %s lacks %s: is it Octavia\'s?'
                % (self._shown_url(), ', '.join(sorted(missing))))

    def cert_expirations(self, amphora_ids):
        """:returns: ``{amphora_id: ISO date or None}`` of those that exist.

        :raises ConfigError: the database cannot be reached.
        """
        result = {}
        ids = list(amphora_ids)
        try:
            with self.engine.connect() as connection:
                # Chunks: some databases bound the parameters of a query.
                for start in range(0, len(ids), 500):
                    query = sa.select(AMPHORA.c.id, AMPHORA.c.cert_expiration)\
                        .where(AMPHORA.c.id.in_(ids[start:start + 500]))
                    for row in connection.execute(query):
                        result[row.id] = _iso(row.cert_expiration)
        except sa.exc.SQLAlchemyError as e:
            raise self._unreachable(e)
        return result

    def expire_certificates(self, originals):
        """Set ``cert_expiration`` in the past for these amphorae, in one
        transaction, where it still is the original date and no rotation
        is under way: a row Octavia rotated or touched meanwhile is left
        alone, so running this again changes nothing more.

        :param originals: ``{amphora_id: ISO date}`` as read before.
        :returns: how many rows were changed.
        """
        return self._move(originals, to_original=False)

    def restore_certificates(self, originals):
        """Put back the original date of the amphorae still expired by us
        and not being rotated, in one transaction (a revert).

        :returns: how many rows were restored.
        """
        return self._move(originals, to_original=True)

    def _move(self, originals, to_original):
        changed = 0
        table = AMPHORA
        retry.announce_change('restore_certificates' if to_original
                              else 'expire_certificates')
        try:
            with self.engine.begin() as connection:
                for amphora_id, original in sorted(originals.items()):
                    if original is None:
                        continue
                    original = _datetime(original)
                    old, new = ((EXPIRED, original) if to_original
                                else (original, EXPIRED))
                    changed += connection.execute(
                        table.update()
                        .where(table.c.id == amphora_id)
                        .where(table.c.cert_expiration == old)
                        .where(table.c.cert_busy == sa.false())
                        .values(cert_expiration=new)).rowcount
        except sa.exc.SQLAlchemyError as e:
            raise self._unreachable(e)
        return changed

    def _shown_url(self):
        return self._url.render_as_string(hide_password=True)

    def _unreachable(self, error):
        detail = str(getattr(error, 'orig', None) or error).splitlines()[0]
        return exceptions.ConfigError(
            reason='cannot use Octavia\'s database at %s ([octavia_db] '
                   'connection): %s' % (self._shown_url(), detail))
