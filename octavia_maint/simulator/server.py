"""The simulator as a Python object: start, stop, URLs and a clouds.yaml.

::

    with Simulator(FleetSpec(load_balancers=200)) as sim:
        conn = openstack.connect(**sim.cloud_config())

``start()`` binds (port 0 picks a free port), then serves in daemon
threads; a ticker thread fires due transitions even when no request comes.
The amphora rows live in a SQLite file (:attr:`Simulator.octavia_db_url`),
a temporary one unless given, which other processes may edit.
"""

import logging
import threading

from octavia_maint.simulator import cloud as sim_cloud
from octavia_maint.simulator import fleet
from octavia_maint.simulator.compute import routes as compute_routes
from octavia_maint.simulator.control import routes as control_routes
from octavia_maint.simulator.core import dispatcher as sim_dispatcher
from octavia_maint.simulator.core import http as sim_http
from octavia_maint.simulator.identity import models as identity_models
from octavia_maint.simulator.identity import routes as identity_routes
from octavia_maint.simulator.image import routes as image_routes
from octavia_maint.simulator.network import routes as network_routes
from octavia_maint.simulator.octavia import database as octavia_database
from octavia_maint.simulator.octavia import routes as octavia_routes

LOG = logging.getLogger(__name__)

CLOUD_NAME = 'octavia-maint-sim'
SERVICES = (identity_routes, octavia_routes, compute_routes, image_routes,
            network_routes)
DOMAIN = identity_models.DEFAULT_DOMAIN['name']
# Real seconds between ticks of the background event pump.
TICK_SECONDS = 0.02


class Simulator:
    """A simulated OpenStack cloud served over HTTP on ``host:port``."""

    def __init__(self, spec=None, host='127.0.0.1', port=0,
                 octavia_db_url=None):
        self._address = (host, port)
        self.octavia_db = octavia_database.OctaviaDatabase(octavia_db_url)
        self.cloud = sim_cloud.Cloud(
            spec or fleet.FleetSpec(),
            [module.CATALOG for module in SERVICES], self.octavia_db)
        self._dispatcher = sim_dispatcher.Dispatcher(
            self.cloud,
            [module.SERVICE for module in SERVICES] + [control_routes.SERVICE],
            identity_prefix=identity_routes.PREFIX)
        self._server = None
        self._threads = []
        self._stopping = threading.Event()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def start(self):
        """Bind and serve in daemon threads; :returns: self."""
        self._server = sim_http.make_server(*self._address,
                                            app=self._dispatcher)
        self._stopping.clear()
        self._threads = [
            threading.Thread(target=self._server.serve_forever,
                             kwargs={'poll_interval': 0.1},
                             name='simulator-http', daemon=True),
            threading.Thread(target=self._tick, name='simulator-ticker',
                             daemon=True)]
        for thread in self._threads:
            thread.start()
        LOG.info("Cloud simulator serving at %s", self.url)
        return self

    def _tick(self):
        while not self._stopping.wait(TICK_SECONDS):
            with self.cloud.lock:
                self.cloud.advance()

    def stop(self):
        """Stop serving and drop open keep-alive connections; close the
        Octavia database (a temporary one is deleted)."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.connections.close_all()
        self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._server = None
        with self.cloud.lock:
            self.cloud.close()
        LOG.info("Cloud simulator stopped")

    @property
    def octavia_db_url(self):
        """SQLAlchemy URL of the simulated Octavia's database (its
        ``amphora`` and ``amphora_health`` tables), as an operator's
        ``[octavia_db] connection``."""
        return self.octavia_db.url

    @property
    def spec(self):
        """The fleet spec the cloud was last built (or reset) from."""
        return self.cloud.spec

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        return 'http://%s:%d' % (self._address[0], self.port)

    @property
    def auth_url(self):
        return self.url + identity_routes.PREFIX

    def cloud_config(self, user=None):
        """openstacksdk connection arguments for a user (default: first)."""
        user = user or self.spec.users[0]
        return {
            'auth_type': 'password',
            'auth': {'auth_url': self.auth_url,
                     'username': user['name'],
                     'password': user['password'],
                     'project_name': user['project'],
                     'user_domain_name': DOMAIN,
                     'project_domain_name': DOMAIN},
            'region_name': identity_models.REGION,
            'identity_api_version': '3',
            'interface': 'public',
        }

    def clouds_yaml(self, cloud_name=CLOUD_NAME, user=None):
        """A ``clouds.yaml`` document (as a dict) for this simulator."""
        return {'clouds': {cloud_name: self.cloud_config(user)}}
