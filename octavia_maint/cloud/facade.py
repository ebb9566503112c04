"""The one entry point to the cloud: :class:`Cloud`.

Why one facade: it is the only code that imports openstacksdk, so tasks,
reports and the CLI get plain JSON-able dicts (safe to save in TaskFlow
persistence) and octavia-maint's own exceptions, and every call shares the
same retry policy and error translation. One mixin per resource keeps each
module small::

    from octavia_maint.cloud import facade
    cloud = facade.Cloud.from_conf(CONF)
    lb = cloud.wait_for_load_balancer(lb_id, status='ACTIVE')
"""

from octavia_maint.cloud import amphora_health
from octavia_maint.cloud import amphorae
from octavia_maint.cloud import compute
from octavia_maint.cloud import connection
from octavia_maint.cloud import identity
from octavia_maint.cloud import images
from octavia_maint.cloud import load_balancers
from octavia_maint.cloud import octavia_db
from octavia_maint.cloud import retry


class Cloud(load_balancers.LoadBalancerMixin, amphorae.AmphoraMixin,
            images.ImageMixin, compute.ComputeMixin,
            amphora_health.AmphoraHealthMixin, identity.IdentityMixin):
    """Load balancers, amphorae, images, servers and compute services;
    projects; heartbeats from Octavia's database."""

    def __init__(self, sdk_connection, conf, retry_policy=None):
        """Wrap an openstacksdk connection.

        :param sdk_connection: an ``openstack.connection.Connection``.
        :param conf: the ``ConfigOpts`` holding ``[cloud]``.
        :param retry_policy: a :class:`retry.RetryPolicy`; from ``[cloud]``
            when None.
        """
        self._conn = sdk_connection
        self._conf = conf
        self._retry_policy = retry_policy or retry.RetryPolicy.from_conf(conf)
        self._octavia_db = None

    @classmethod
    def from_conf(cls, conf, conn=None):
        """Connect as ``[cloud]`` says (the cloud is contacted lazily).

        :param conn: an openstacksdk Connection to use instead (the
            openstack CLI's own session, under its plugin).
        :raises: ConfigError.
        """
        return cls(conn if conn is not None
                   else connection.build_connection(conf), conf)

    def close(self):
        """Release the HTTP connection pool (and Octavia's database)."""
        self._conn.close()
        if self._octavia_db is not None:
            self._octavia_db.close()

    @property
    def octavia_db(self):
        """Octavia's own database (``[octavia_db]``), made on first use:
        only certificate rotation needs it.

        :raises: ConfigError when ``[octavia_db] connection`` is unset.
        """
        if self._octavia_db is None:
            self._octavia_db = octavia_db.OctaviaDatabase.from_conf(
                self._conf)
        return self._octavia_db

    def _wait_args(self, timeout, interval):
        """Waiter ``timeout`` and ``interval``, defaulted from ``[cloud]``."""
        return {
            'timeout': (self._conf.cloud.wait_timeout
                        if timeout is None else timeout),
            'interval': (self._conf.cloud.status_poll_interval
                         if interval is None else interval),
        }
