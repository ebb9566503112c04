"""pytest fixtures for the facade's functional tests.

Every facade call goes through the real openstacksdk and keystoneauth1 over
HTTP to the bundled simulator. One simulator serves the whole package (it
starts fast, but not for free); each test gets it reset to the base fleet
and a facade built from its own configuration, the way a conductor builds
one: ``[cloud] cloud`` names the simulator's cloud in the clouds.yaml that
``OS_CLIENT_CONFIG_FILE`` points at.
"""

import os

from oslo_config import cfg
import pytest
import yaml

from octavia_maint.cloud import facade
from octavia_maint import conf as maint_conf
from tests.fixtures import simulator as sim_fixture

# Three pages of load balancers; failovers of 2 simulated seconds that take
# 0.1 s of real time.
BASE_FLEET = {
    'load_balancers': 7,
    'active_standby_ratio': 0.3,
    'hosts': 3,
    'projects': 2,
    'tenant_vms': 4,
    'orphan_amphora_vms': 1,
    'pagination_max_limit': 3,
    'failover_seconds': 2,
    'time_scale': 20,
}

# Fast retries and polls, so fault tests take milliseconds.
CLOUD_OPTIONS = {
    'api_retries': 3,
    'api_retry_max_delay': 0.1,
    'status_poll_interval': 0.02,
    'wait_timeout': 20.0,
}


@pytest.fixture(scope='package')
def simulator():
    with sim_fixture.SimulatorFixture(**BASE_FLEET) as fixture:
        yield fixture


@pytest.fixture
def sim(simulator, monkeypatch):
    """The simulator, reset, with OS_CLIENT_CONFIG_FILE pointing at it."""
    simulator.reset()
    for name in [key for key in os.environ if key.startswith('OS_')]:
        monkeypatch.delenv(name)
    monkeypatch.setenv('OS_CLIENT_CONFIG_FILE', simulator.clouds_yaml_path)
    return simulator


@pytest.fixture
def make_conf(sim):
    """``make_conf(**cloud_overrides)``: a ConfigOpts pointing at ``sim``."""
    def make(**overrides):
        conf = cfg.ConfigOpts()
        maint_conf.register_opts(conf)
        options = {'cloud': sim.cloud_name, **CLOUD_OPTIONS, **overrides}
        for name, value in options.items():
            conf.set_override(name, value, group='cloud')
        return conf
    return make


@pytest.fixture
def make_cloud(make_conf):
    """``make_cloud(**cloud_overrides)``: a facade over a new connection."""
    clouds = []

    def make(**overrides):
        cloud = facade.Cloud.from_conf(make_conf(**overrides))
        clouds.append(cloud)
        return cloud
    yield make
    for cloud in clouds:
        cloud.close()


@pytest.fixture
def cloud(make_cloud):
    return make_cloud()


@pytest.fixture
def write_clouds_yaml(sim, tmp_path, monkeypatch):
    """``write_clouds_yaml(name, **auth_changes)``: add a cloud entry.

    Writes a clouds.yaml holding the simulator's entry plus ``name`` (a copy
    with ``auth_changes``), and points OS_CLIENT_CONFIG_FILE at it.
    """
    def write(name, **auth_changes):
        with open(sim.clouds_yaml_path, encoding='utf-8') as stream:
            document = yaml.safe_load(stream)
        entry = dict(document['clouds'][sim.cloud_name])
        entry['auth'] = {**entry['auth'], **auth_changes}
        document['clouds'][name] = entry
        path = tmp_path / 'clouds.yaml'
        path.write_text(yaml.safe_dump(document), encoding='utf-8')
        monkeypatch.setenv('OS_CLIENT_CONFIG_FILE', str(path))
        return path
    return write
