"""Fixtures of the engine's functional tests: simulator, config, service."""

import os

from oslo_config import fixture as config_fixture
import pytest

from octavia_maint import conf
from octavia_maint.jobs import service as service_mod
from tests.fixtures import simulator as sim_fixture


@pytest.fixture
def config():
    fixture = config_fixture.Config(conf.CONF)
    fixture.setUp()
    yield fixture
    fixture.cleanUp()


@pytest.fixture
def image_file(tmp_path):
    path = tmp_path / 'amphora-x64-haproxy.qcow2'
    path.write_bytes(b'QFI\xfb' + os.urandom(4096))
    return str(path)


def make_simulator(monkeypatch, **fleet):
    """Start a simulator and point openstacksdk's clouds.yaml at it."""
    sim = sim_fixture.SimulatorFixture(**fleet)
    sim.setUp()
    monkeypatch.setenv('OS_CLIENT_CONFIG_FILE', sim.clouds_yaml_path)
    return sim


def local_groups(tmp_path, **throttle):
    """Configuration of local mode with a SQLite database in ``tmp_path``."""
    return {'jobboard': {'backend': 'local'},
            'persistence': {'connection': 'sqlite:///%s'
                            % (tmp_path / 'jobs.sqlite')},
            'cloud': {'cloud': sim_fixture.SimulatorFixture.cloud_name,
                      'status_poll_interval': 0.05},
            'throttle': throttle}


def service_for(config, groups):
    """A JobService of this process configured by ``groups``."""
    for group, options in groups.items():
        if options:
            config.config(group=group, **options)
    return service_mod.JobService(conf.CONF)


def local_service(config, tmp_path, **throttle):
    return service_for(config, local_groups(tmp_path, **throttle))
