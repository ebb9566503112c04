"""A conductor that stops lets go of its place in the throttle's queue.

Seen in CI: a conductor told to stop (SIGTERM) handed its jobs over at
once but exited 20 s later, because job threads of its own still waited
for a failover slot that the other conductor's threads kept passing
among themselves. ZooKeeper and kazoo's semaphore here are real.
"""

import threading
import time

import pytest

from octavia_maint.common import exceptions
from octavia_maint import conf
from octavia_maint.jobs import zookeeper
from octavia_maint.runtime import leases
from octavia_maint.runtime import throttle as throttle_mod

pytestmark = pytest.mark.slow


@pytest.fixture
def throttles(zk_clients):
    """Two conductors' throttles of one slot, each its own session."""
    return [throttle_mod.ZooKeeperThrottle(
        client, zookeeper.throttle_path(conf.CONF), 1)
        for client in zk_clients]


def wait_for_slot_in_thread(throttle):
    ended = []

    def wait():
        try:
            with throttle.slot():
                ended.append('got a slot')
        except exceptions.ConductorStopping as e:
            ended.append(e)
    thread = threading.Thread(target=wait, daemon=True)
    thread.start()
    return thread, ended


def test_stop_waiting_ends_every_wait_for_a_slot(throttles):
    staying, leaving = throttles
    with staying.slot():
        # One waits in ZooKeeper's queue, one behind it in this process.
        waiting = [wait_for_slot_in_thread(leaving) for _ in range(2)]
        time.sleep(0.5)
        began = time.monotonic()
        leaving.stop_waiting()
        for thread, ended in waiting:
            thread.join(leases.STOP_CHECK_SECONDS + 5)
            assert isinstance(ended[0], exceptions.ConductorStopping)
        assert time.monotonic() - began < leases.STOP_CHECK_SECONDS + 2
        with pytest.raises(exceptions.ConductorStopping):
            with leaving.slot():
                pass
    # The staying conductor's slot went back to ZooKeeper, not to a
    # leaving thread: it gets it again.
    thread, ended = wait_for_slot_in_thread(staying)
    thread.join(5)
    assert ended == ['got a slot']
