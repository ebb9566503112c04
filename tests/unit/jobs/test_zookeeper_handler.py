"""kazoo's threading handler waiting with poll(2) (jobs/zookeeper.py).

The real client over it is exercised against a real ZooKeeper by every
functional board test.
"""

import socket

from octavia_maint.jobs import zookeeper


def test_select_sees_what_is_ready_and_times_out_otherwise():
    handler = zookeeper.PollingHandler()
    ours, theirs = socket.socketpair()
    with ours, theirs:
        assert handler.select([ours], [], [], 0.01) == ([], [], [])
        theirs.send(b'x')
        assert handler.select([ours], [], [], 0.01) == ([ours], [], [])
        ours.recv(1)
        assert handler.select([], [ours], [], 0.01) == ([], [ours], [])
