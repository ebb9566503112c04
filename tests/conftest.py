"""Fixtures every test package shares."""

import pytest

from tests.fixtures import zookeeper


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
