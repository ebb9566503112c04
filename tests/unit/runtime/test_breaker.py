"""The circuit breaker: a campaign's children share one failure count.

The ZooKeeper counter behind a board's breakers is exercised by the
functional engine tests; here the local one stands in.
"""

import threading

import pytest

from octavia_maint.runtime import breaker


@pytest.mark.parametrize('limit, failures, is_open', [
    (3, 0, False),
    (3, 2, False),
    (3, 3, True),
    (3, 4, True),
    (1, 1, True),
    (0, 0, True),      # no failure allowed: no failover either
])
def test_it_opens_at_the_limit(limit, failures, is_open):
    the_breaker = breaker.LocalBreakers().get('campaign-1', limit)
    for _ in range(failures):
        the_breaker.record_failure()
    assert the_breaker.failures == failures
    assert the_breaker.is_open() is is_open


def test_the_children_of_one_campaign_share_the_count():
    breakers = breaker.LocalBreakers()
    breakers.get('campaign-1', 2).record_failure()
    breakers.get('campaign-1', 2).record_failure()
    assert breakers.get('campaign-1', 2).is_open()
    assert not breakers.get('campaign-2', 2).is_open()


def test_failures_counted_at_once_are_all_counted():
    breakers = breaker.LocalBreakers()
    start = threading.Barrier(8)

    def fail_some():
        start.wait()
        for _ in range(200):
            breakers.get('campaign-1', 10000).record_failure()
    threads = [threading.Thread(target=fail_some) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert breakers.get('campaign-1', 10000).failures == 1600
