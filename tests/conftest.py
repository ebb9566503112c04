"""Fixtures every test package shares."""

from oslo_config import fixture as config_fixture
import pytest

from octavia_maint import conf
from tests.fixtures import simulator
from tests.fixtures import zookeeper


@pytest.fixture
def config():
    """octavia-maint's configuration, every override undone afterwards;
    the data-plane check as fast as the simulator allows."""
    fixture = config_fixture.Config(conf.CONF)
    fixture.setUp()
    fixture.config(group='verify', **simulator.VERIFY_OPTIONS)
    yield fixture
    fixture.cleanUp()


@pytest.fixture(scope='session')
def zk(tmp_path_factory):
    """One private ZooKeeper for the whole run, started on first use.

    Tests keep apart by the root path they use
    (:meth:`PrivateZooKeeper.unique_path`).
    """
    server = zookeeper.PrivateZooKeeper(tmp_path_factory.mktemp('zk'))
    server.start()
    yield server
    server.stop()
