"""What Octavia's health manager hears, from its ``amphora_health`` table.

Octavia's API does not say whether the health manager accepts an
amphora's heartbeats: only its database does. ``amphora_health`` holds one
row per amphora, ``last_update`` being the time of the last heartbeat the
health manager accepted (it fails over an amphora whose row is older than
``heartbeat_timeout``). A row that moves on after the health managers
restarted with a new key proves the amphora signs with that key, which is
how heartbeat-key tells an amphora that configure fixed from one it did
not. Read-only: nothing here writes to Octavia's database.
"""

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from octavia_maint.common import exceptions

_AMPHORA_HEALTH = sa.Table(
    'amphora_health', sa.MetaData(),
    sa.Column('amphora_id', sa.String(36), primary_key=True),
    sa.Column('last_update', sa.DateTime))


class AmphoraHealthMixin:
    """Heartbeat reads of :class:`octavia_maint.cloud.facade.Cloud`."""

    def amphora_heartbeats(self, amphora_ids):
        """When the health manager last accepted a heartbeat of each amphora.

        :returns: ``{amphora_id: ISO 8601 time or None}`` (None: no heartbeat
            recorded yet). The times are Octavia's clock, only comparable
            with each other.
        :raises ConfigError: ``[octavia_db] connection`` is not set.
        :raises CloudUnavailable: the database cannot be read.
        """
        ids = list(amphora_ids)
        found = {}
        query = sa.select(_AMPHORA_HEALTH.c.amphora_id,
                          _AMPHORA_HEALTH.c.last_update)
        try:
            with self.octavia_db.engine.connect() as conn:
                if ids:
                    rows = conn.execute(query.where(
                        _AMPHORA_HEALTH.c.amphora_id.in_(ids)))
                    found = {a: when.isoformat() for a, when in rows}
                else:
                    conn.execute(query.limit(1)).all()
        except sa_exc.SQLAlchemyError as e:
            raise exceptions.CloudUnavailable(
                reason="Octavia's database ([octavia_db] connection) cannot "
                       "be read: %s" % _first_line(e))
        return {a: found.get(a) for a in ids}


def _first_line(error):
    # SQLAlchemy appends the statement and a help link; the URL it never
    # prints with a password.
    return str(getattr(error, 'orig', None) or error).splitlines()[0]
