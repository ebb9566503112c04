"""Two conductors' ZooKeeper sessions, for the recipes they share."""

import pytest

from octavia_maint import conf
from octavia_maint.jobs import zookeeper
from tests.functional.engine import conftest as engine_conftest


@pytest.fixture
def zk_clients(zk, config, tmp_path, request):
    """Two kazoo clients of a board configured as a conductor's is, each
    its own session; the throttle's slots are the test module's
    ``SLOTS`` (1 by default)."""
    slots = getattr(request.module, 'SLOTS', 1)
    for group, options in engine_conftest.board_groups(
            zk, tmp_path, slots).items():
        if options:
            config.config(group=group, **options)
    clients = [zookeeper.make_client(conf.CONF) for _ in range(2)]
    yield clients
    for client in clients:
        client.stop()
        client.close()
