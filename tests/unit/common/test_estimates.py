"""Estimates from this cloud's failover figures: wording and arithmetic."""

import pytest

from octavia_maint.common import estimates

SINGLE = estimates.TOPOLOGY_SINGLE
PAIR = estimates.TOPOLOGY_ACTIVE_STANDBY


def times(by_topology, expected=60):
    return estimates.FailoverTimes(by_topology.get, expected)


def test_median_and_p90_of_what_was_observed():
    found = estimates.summarize([10, 3, 1, 2, 4, 5, 6, 7, 8, 9])
    assert found == estimates.Figures(10, 5.5, 9)
    assert estimates.summarize([]) is None
    assert estimates.summarize([30.0]) == estimates.Figures(1, 30.0, 30.0)


@pytest.mark.parametrize('amphorae, topology', [
    ([{'role': 'STANDALONE'}], SINGLE),
    ([{'role': None}], SINGLE),
    ([{'role': 'MASTER'}, {'role': 'BACKUP'}], PAIR),
    # Mid-failover only one of the pair may be listed: its role tells.
    ([{'role': 'BACKUP'}], PAIR),
    ([{}, {}], PAIR),
])
def test_topology_from_the_amphorae(amphorae, topology):
    assert estimates.topology_of(amphorae) == topology


def test_says_it_used_the_history():
    history = times({None: estimates.Figures(48, 62.0, 80.0)})
    assert history.notes([None, None]) == (
        'Estimated from the last 48 failovers of this cloud: median 62 s '
        '(p90 80 s).')


def test_says_it_fell_back_to_the_configured_value():
    assert times({}).notes([None]) == (
        'No failover history: using [throttle] expected_failover_seconds '
        '= 60.')


def test_per_topology_each_says_its_source():
    mixed = times({PAIR: estimates.Figures(12, 90.0, 120.0)})
    assert mixed.notes([SINGLE, PAIR, SINGLE]) == (
        'Estimated from the last 12 ACTIVE_STANDBY failovers of this cloud: '
        'median 90 s (p90 120 s); no SINGLE failover history: using '
        '[throttle] expected_failover_seconds = 60.')


def test_campaign_seconds_follow_the_topologies_and_the_throttle():
    mixed = times({PAIR: estimates.Figures(12, 90.0, 120.0),
                   SINGLE: estimates.Figures(12, 30.0, 40.0)})
    # 4 targets, 2 at once: 2 rounds of the mean median (60 s).
    assert mixed.campaign_seconds([SINGLE, PAIR, SINGLE, PAIR], 2, 0) == 120
    # Without history: rounds times the configured value, as before.
    assert times({}, expected=120).campaign_seconds([None] * 5, 2, 0) == 360
    # Pacing bounds it from below.
    assert mixed.campaign_seconds([SINGLE] * 4, 10, 20) == 80
    assert mixed.campaign_seconds([], 10, 0) == 0
