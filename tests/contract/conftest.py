"""The contract suite's targets: the simulator and the real Octavia 19.

Every scenario runs twice, ``[simulator]`` and ``[octavia]``, through the
same two doors: our cloud facade (openstacksdk, authenticated by a
simulator's Keystone) and raw HTTP where the facade has no call (creating
and deleting load balancers, flavors). For ``[octavia]`` the Keystone of a
second, empty simulator advertises the real Octavia as its
``load-balancer`` endpoint, so both targets are reached exactly the same
way. A scenario *agrees* when it passes against both; the session ends
with the count.
"""

import collections
import os
import time

from oslo_config import cfg
import pytest

from octavia_maint.cloud import facade
from octavia_maint import conf as maint_conf
from tests.fixtures import octavia_peer
from tests.fixtures import simulator as sim_fixture

TARGETS = ('simulator', 'octavia')
# Durations close to the real Octavia's with noop drivers (about 1 s to
# create, 1 to 2.5 s to fail over, under 1 s to delete).
SIMULATOR_FLEET = {'load_balancers': 0, 'hosts': 4, 'time_scale': 1,
                   'lb_create_seconds': 1.2, 'failover_seconds': 1.5,
                   'lb_delete_seconds': 0.5}
POLL_SECONDS = 0.05
WAIT_SECONDS = 60


class Target:
    """One cloud under test: the facade and raw calls to its Octavia API.

    :param sim: the simulator whose Keystone (and Nova, Glance) serve it.
    :param base_url: the load-balancer endpoint, for raw calls.
    """

    def __init__(self, name, sim, base_url):
        self.name = name
        self.sim = sim
        self.base_url = base_url
        self.cloud = _facade(sim)
        connection = sim.connection()
        self._token = connection.session.get_token()
        self.project_id = connection.current_project_id
        connection.close()
        # The token is the simulator's; the real Octavia (noauth) ignores
        # it and takes the project from the header instead.
        self._http = octavia_peer.http_session(self.project_id)
        self._http.headers['X-Auth-Token'] = self._token

    def call(self, method, path, body=None, **kwargs):
        """:returns: ``(status, decoded JSON or None)``."""
        response = self._http.request(method, self.base_url + path,
                                      json=body, timeout=30, **kwargs)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, None

    def flavor_id(self, topology):
        name = {'SINGLE': 'amphora-single',
                'ACTIVE_STANDBY': 'amphora-active-standby'}[topology]
        status, body = self.call('GET', '/v2.0/lbaas/flavors',
                                 params={'name': name})
        assert status == 200, body
        return body['flavors'][0]['id']

    def post_load_balancer(self, topology, **fields):
        """``POST`` a load balancer; :returns: ``(status, body)``."""
        spec = {'name': 'contract-%s' % topology.lower(),
                'vip_subnet_id': '0b5f6ec2-37d5-4a1a-a8c0-6f9e2f1bd5a2',
                'flavor_id': self.flavor_id(topology), **fields}
        return self.call('POST', '/v2.0/lbaas/loadbalancers',
                         {'loadbalancer': spec})

    def create_load_balancer(self, topology):
        """Create one and wait until ACTIVE; :returns: its id."""
        status, body = self.post_load_balancer(topology)
        assert status == 201, body
        lb_id = body['loadbalancer']['id']
        self.cloud.wait_for_load_balancer(lb_id, timeout=WAIT_SECONDS,
                                          interval=POLL_SECONDS)
        return lb_id

    def statuses_until(self, lb_id, final):
        """Distinct provisioning statuses seen until ``final`` (or 404)."""
        seen = []
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            status, body = self.call('GET', '/v2.0/lbaas/loadbalancers/'
                                     + lb_id)
            current = (body['loadbalancer']['provisioning_status']
                       if status == 200 else status)
            if not seen or seen[-1] != current:
                seen.append(current)
            if current == final:
                return seen
            time.sleep(POLL_SECONDS)
        raise AssertionError('%s never reached %s: %s' % (lb_id, final, seen))

    def close(self):
        self.cloud.close()
        self._http.close()


def _facade(sim):
    """The facade, built as a conductor builds it, for ``sim``'s cloud."""
    conf = cfg.ConfigOpts()
    maint_conf.register_opts(conf)
    for name, value in {'cloud': sim.cloud_name, 'api_retries': 1,
                        'status_poll_interval': POLL_SECONDS,
                        'wait_timeout': WAIT_SECONDS}.items():
        conf.set_override(name, value, group='cloud')
    saved = os.environ.get('OS_CLIENT_CONFIG_FILE')
    os.environ['OS_CLIENT_CONFIG_FILE'] = sim.clouds_yaml_path
    try:
        return facade.Cloud.from_conf(conf)
    finally:
        if saved is None:
            del os.environ['OS_CLIENT_CONFIG_FILE']
        else:
            os.environ['OS_CLIENT_CONFIG_FILE'] = saved


@pytest.fixture(scope='session')
def peer(tmp_path_factory):
    """The real Octavia (skips where MariaDB or RabbitMQ do not answer)."""
    server = octavia_peer.OctaviaPeer(tmp_path_factory.mktemp('octavia'))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope='session')
def simulator_target():
    with sim_fixture.SimulatorFixture(**SIMULATOR_FLEET) as sim:
        target = Target('simulator', sim, sim.url + '/load-balancer')
        yield target
        target.close()


@pytest.fixture(scope='session')
def octavia_target(peer):
    with sim_fixture.SimulatorFixture(
            load_balancers=0,
            endpoint_overrides={'load-balancer': peer.endpoint}) as sim:
        target = Target('octavia', sim, peer.endpoint)
        yield target
        target.close()


@pytest.fixture(params=TARGETS)
def target(request):
    return request.getfixturevalue(request.param + '_target')


# -- the agreement count ----------------------------------------------------

_OUTCOMES = collections.defaultdict(dict)


def pytest_runtest_logreport(report):
    if 'tests/contract/' not in report.nodeid.replace(os.sep, '/'):
        return
    if report.when == 'call' or report.outcome != 'passed':
        function, _, ids = report.nodeid.partition('[')
        parts = ids.rstrip(']').split('-')
        target = next((p for p in parts if p in TARGETS), None)
        if target is None:
            return  # runs against one target only: not a comparison
        rest = [p for p in parts if p != target]
        scenario = function + ('[%s]' % '-'.join(rest) if rest else '')
        _OUTCOMES[scenario][target] = report.outcome


def pytest_terminal_summary(terminalreporter):
    if not _OUTCOMES:
        return
    agree = [s for s, outcome in _OUTCOMES.items()
             if all(outcome.get(t) == 'passed' for t in TARGETS)]
    terminalreporter.write_line(
        'contract: %d of %d scenarios agree between the simulator and the '
        'real Octavia 19' % (len(agree), len(_OUTCOMES)))
    for scenario in sorted(set(_OUTCOMES) - set(agree)):
        terminalreporter.write_line('  differs or did not run: %s %s' % (
            scenario, dict(_OUTCOMES[scenario])))
