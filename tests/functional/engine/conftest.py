"""Fixtures of the engine's functional tests: simulator, config, service."""

import contextlib
import os

import pytest

from octavia_maint import conf
from octavia_maint.jobs import service as service_mod
from octavia_maint.common import constants
from octavia_maint.common import image_file as image_file_mod
from tests.fixtures import simulator as sim_fixture
from tests.fixtures import zookeeper
from tests.functional.engine import harness


@pytest.fixture
def image_file(tmp_path):
    path = tmp_path / 'amphora-x64-haproxy.qcow2'
    path.write_bytes(image_file_mod.qcow2_header(2 * 1024 ** 3) +
                     os.urandom(4096))
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


def board_groups(zk, tmp_path, max_concurrent, **extra):
    """Board-mode configuration on a fresh ZooKeeper path and database."""
    return harness.config_groups(
        zk.hosts, zookeeper.PrivateZooKeeper.unique_path(),
        'sqlite:///%s' % (tmp_path / 'jobs.sqlite'),
        max_concurrent=max_concurrent, **extra)


@contextlib.contextmanager
def board_cluster(sim, config, tmp_path, groups):
    """``(service, start)``: a board-mode JobService of this process, and
    ``start(n)`` starting ``n`` conductor processes configured alike; all
    stopped at the end."""
    config_file = harness.write_config(tmp_path / 'octavia-maint.conf',
                                       **groups)
    service = service_for(config, groups)
    started = []

    def start(n=1):
        for _ in range(n):
            started.append(harness.ConductorProcess(
                config_file, sim.clouds_yaml_path,
                str(tmp_path / ('conductor-%d.log' % len(started)))))
        return started[-n:]

    try:
        yield service, start
    finally:
        for conductor in started:
            conductor.stop()
        service.close()


def wait_done(service, job_id, timeout=120):
    """The job's full view once it is no longer queued, running, waiting
    or interrupted."""
    def ended():
        view = service.show(job_id)
        return view if view['state'] not in constants.ACTIVE_JOB_STATES \
            else None
    return sim_fixture.wait_until(ended, timeout=timeout, interval=0.5)
