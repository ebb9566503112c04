"""The fence of the ZooKeeper throttle: racing conductors never take more
room in the ledger than the throttle has (real ZooKeeper, two sessions).

The fence is what bounds the failovers the cloud sees after ``kill -9``
(runtime/throttle.py); here many job threads of two conductors ask for
room at the same moment, and the cloud shows every failover still
running, so nothing is pruned: exactly the throttle's worth get in.
"""

import threading

import pytest

from octavia_maint import conf
from octavia_maint.jobs import zookeeper
from octavia_maint.runtime import throttle as throttle_mod

pytestmark = pytest.mark.slow

SLOTS = 3
ASKERS_PER_CONDUCTOR = 12


class AllFailingOver:
    """A cloud in which every load balancer is PENDING_UPDATE."""

    def __init__(self):
        self.lbs = []

    def list_load_balancers(self, **filters):
        assert filters == {'provisioning_status': 'PENDING_UPDATE'}
        return [{'id': lb_id} for lb_id in self.lbs]


@pytest.fixture
def throttles(zk_clients):
    """Two conductors' throttles of SLOTS slots, each its own session."""
    return [throttle_mod.ZooKeeperThrottle(
        client, zookeeper.throttle_path(conf.CONF), SLOTS)
        for client in zk_clients]


def test_racing_fences_take_the_throttles_worth_of_room(throttles):
    cloud = AllFailingOver()
    cloud.lbs = ['lb-%d-%d' % (n, i) for n in range(2)
                 for i in range(ASKERS_PER_CONDUCTOR)]
    start = threading.Barrier(2 * ASKERS_PER_CONDUCTOR)
    admitted = []

    def ask(throttle, lb_id):
        start.wait()
        if throttle.take_room(cloud, lb_id):
            admitted.append(lb_id)

    threads = [threading.Thread(target=ask, args=(throttles[n], lb_id))
               for n in range(2) for lb_id in cloud.lbs
               if lb_id.startswith('lb-%d-' % n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(admitted) == SLOTS
    assert throttles[0].ledger_ids() == set(admitted)
    assert throttles[1].ledger_ids() == set(admitted)


def test_an_entry_of_its_own_is_taken_again(throttles):
    """A re-run after a crash finds its own entry: it does not count."""
    cloud = AllFailingOver()
    cloud.lbs = ['lb-%d' % i for i in range(SLOTS)]
    for lb_id in cloud.lbs:
        assert throttles[0].take_room(cloud, lb_id)
    assert not throttles[1].take_room(cloud, 'lb-other')
    assert throttles[1].take_room(cloud, 'lb-0')
    assert throttles[0].ledger_ids() == set(cloud.lbs)


def test_room_comes_back_when_the_cloud_ends_a_failover(throttles):
    cloud = AllFailingOver()
    cloud.lbs = ['lb-%d' % i for i in range(SLOTS)]
    for lb_id in cloud.lbs:
        assert throttles[0].take_room(cloud, lb_id)
    cloud.lbs.remove('lb-1')       # its failover ended in the cloud
    assert throttles[1].take_room(cloud, 'lb-new')
    assert throttles[1].ledger_ids() == {'lb-0', 'lb-2', 'lb-new'}
