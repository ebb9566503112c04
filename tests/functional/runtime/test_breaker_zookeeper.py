"""A campaign's circuit breaker on ZooKeeper, shared by two conductors
(real ZooKeeper, two sessions).

Every failover asks the breaker first, so its count is kept current by a
data watch rather than read each time (issue 13): a failure counted by
one conductor must still reach the other's next failover.
"""

import time

import pytest

from octavia_maint import conf
from octavia_maint.jobs import zookeeper
from octavia_maint.runtime import breaker
from tests.fixtures import simulator as sim_fixture

pytestmark = pytest.mark.slow

CAMPAIGN = 'a1b2c3d4-0000-4000-8000-000000000001'


def breakers_of(client):
    return breaker.ZooKeeperBreakers(client, zookeeper.breakers_path(
        conf.CONF))


def test_a_failure_counted_by_one_conductor_opens_the_others(zk_clients):
    one, other = (breakers_of(c) for c in zk_clients)
    seen_by_other = other.get(CAMPAIGN, 2)
    assert not seen_by_other.is_open()
    one.get(CAMPAIGN, 2).record_failure()
    one.get(CAMPAIGN, 2).record_failure()
    assert one.get(CAMPAIGN, 2).is_open()
    sim_fixture.wait_until(lambda: other.get(CAMPAIGN, 2).is_open(),
                           timeout=5)
    assert seen_by_other.failures == 2


def test_asking_again_costs_no_round_trip(zk_clients, monkeypatch):
    clients = zk_clients
    breakers = breakers_of(clients[0])
    assert breakers.get(CAMPAIGN, 3).failures == 0
    calls = []
    for name in ('get', 'exists', 'ensure_path'):
        real = getattr(clients[0], name)
        monkeypatch.setattr(clients[0], name, lambda *a, _real=real,
                            _name=name, **k: calls.append(_name) or
                            _real(*a, **k))
    for _ in range(10):
        assert not breakers.get(CAMPAIGN, 3).is_open()
    assert calls == []
    breakers.get(CAMPAIGN, 3).record_failure()
    deadline = time.monotonic() + 5
    while breakers.get(CAMPAIGN, 3).failures != 1:
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_a_breaker_no_longer_kept_still_counts(zk_clients, monkeypatch):
    """Beyond KEPT_BREAKERS campaigns the oldest counter's watch ends; a
    child still holding that breaker must see failures counted since."""
    monkeypatch.setattr(breaker, 'KEPT_BREAKERS', 1)
    one, other = (breakers_of(c) for c in zk_clients)
    held = one.get(CAMPAIGN, 2)
    assert not held.is_open()
    one.get('a1b2c3d4-0000-4000-8000-000000000002', 2)   # evicts CAMPAIGN
    other.get(CAMPAIGN, 2).record_failure()
    other.get(CAMPAIGN, 2).record_failure()
    assert held.failures == 2 and held.is_open()
