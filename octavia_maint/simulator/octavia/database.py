"""The simulated Octavia's database: its ``amphora`` table, in SQLite.

Operators edit Octavia's database behind its API (the guide's way to force
a certificate rotation is an UPDATE of ``amphora.cert_expiration``), and
octavia-maint's rotate-certs does exactly that. So the simulator keeps its
amphora rows in a real table with Octavia's column names and types (as
``octavia/db/models.py`` declares them: ``load_balancer_id``, naive UTC
``DateTime`` columns, a non-null boolean ``cert_busy``), in a SQLite file
that another process can open with the URL :attr:`url`.

Only SQLite: the repository notices writes by other connections through
``PRAGMA data_version`` (one cheap call per read), which other databases
do not offer.
"""

import os
import tempfile

import sqlalchemy as sa

METADATA = sa.MetaData()

# Octavia's amphora table, as octavia/db/models.py:Amphora declares it
# (foreign keys to lookup tables left out: the simulator has no others).
AMPHORA = sa.Table(
    'amphora', METADATA,
    sa.Column('id', sa.String(36), primary_key=True),
    sa.Column('load_balancer_id', sa.String(36), index=True),
    sa.Column('compute_id', sa.String(36)),
    sa.Column('lb_network_ip', sa.String(64)),
    sa.Column('vrrp_ip', sa.String(64)),
    sa.Column('ha_ip', sa.String(64)),
    sa.Column('vrrp_port_id', sa.String(36)),
    sa.Column('ha_port_id', sa.String(36)),
    sa.Column('cert_expiration', sa.DateTime(timezone=True)),
    sa.Column('cert_busy', sa.Boolean(), nullable=False, default=False),
    sa.Column('role', sa.String(36)),
    sa.Column('status', sa.String(36)),
    sa.Column('vrrp_interface', sa.String(16)),
    sa.Column('vrrp_id', sa.Integer()),
    sa.Column('vrrp_priority', sa.Integer()),
    sa.Column('cached_zone', sa.String(255)),
    sa.Column('image_id', sa.String(36)),
    sa.Column('compute_flavor', sa.String(255)),
    sa.Column('created_at', sa.DateTime()),
    sa.Column('updated_at', sa.DateTime()),
)


class OctaviaDatabase:
    """One SQLite database holding the ``amphora`` table (and the health
    manager's ``amphora_health``, see :mod:`health_table`).

    :param url: a ``sqlite:///PATH`` URL; None makes a temporary file,
        deleted by :meth:`close`.
    :raises ValueError: the URL is not a SQLite file.
    """

    def __init__(self, url=None):
        self._temporary = None
        if url is None:
            fd, self._temporary = tempfile.mkstemp(
                prefix='octavia-sim-', suffix='.sqlite')
            os.close(fd)
            url = 'sqlite:///%s' % self._temporary
        parsed = sa.engine.make_url(url)
        if parsed.get_backend_name() != 'sqlite' or parsed.database in (
                None, '', ':memory:'):
            raise ValueError('the simulator keeps its Octavia database in a '
                             'SQLite file (sqlite:///PATH), not %s' % url)
        self.url = url
        self._engine = sa.create_engine(url, poolclass=sa.pool.StaticPool,
                                        connect_args={
                                            'check_same_thread': False})
        self.connection = self._engine.connect()
        # WAL: readers in other processes never block the simulator; no
        # fsync: the simulator's state dies with it anyway.
        self.connection.exec_driver_sql('PRAGMA journal_mode=WAL')
        self.connection.exec_driver_sql('PRAGMA synchronous=OFF')
        self.connection.commit()
        METADATA.create_all(self.connection)
        self.connection.commit()
        # The cheapest way to ask for data_version, a few times a request.
        self._cursor = self.connection.connection.dbapi_connection.cursor()

    def data_version(self):
        """Changes when another connection commits to the database."""
        return self._cursor.execute('PRAGMA data_version').fetchone()[0]

    def close(self):
        self._cursor.close()
        self.connection.close()
        self._engine.dispose()
        if self._temporary:
            for suffix in ('', '-wal', '-shm'):
                try:
                    os.unlink(self._temporary + suffix)
                except FileNotFoundError:
                    pass
