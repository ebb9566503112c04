"""The failover history in the persistence database (SQLite here; the
three databases in tests/functional/jobs/test_failover_history.py)."""

import datetime

import pytest
import sqlalchemy as sa

from octavia_maint.common import estimates
from octavia_maint.jobs import history
from octavia_maint.jobs import status
from tests.unit import fake_clock

SINGLE = estimates.TOPOLOGY_SINGLE
PAIR = estimates.TOPOLOGY_ACTIVE_STANDBY
EPOCH = datetime.datetime(2026, 12, 1)


class Throttle:
    max_concurrent_failovers = 4
    min_interval_seconds = 0.0


@pytest.fixture
def engine(tmp_path):
    engine = sa.create_engine('sqlite:///%s' % (tmp_path / 'p.sqlite'))
    yield engine
    engine.dispose()


def make(engine, cloud='http://keystone-a/v3 RegionOne', clock=None):
    clock = clock or fake_clock.FakeClock()
    return history.FailoverHistory(
        engine, lambda: cloud,
        clock=lambda: EPOCH + datetime.timedelta(seconds=clock()))


def test_figures_per_topology_and_for_all(engine):
    kept = make(engine)
    assert kept.figures(SINGLE) is None
    for seconds in (30, 40, 50):
        kept.record(SINGLE, seconds, campaign_id='c-1')
    kept.record(PAIR, 90)
    assert kept.figures(SINGLE) == estimates.Figures(3, 40.0, 50.0)
    assert kept.figures(PAIR).median_seconds == 90
    assert kept.figures().count == 4


def test_each_cloud_has_its_own(engine):
    make(engine, cloud='http://keystone-a/v3 RegionOne').record(SINGLE, 30)
    other = make(engine, cloud='http://keystone-a/v3 RegionTwo')
    assert other.figures(SINGLE) is None
    other.record(SINGLE, 300)
    assert other.figures(SINGLE).median_seconds == 300


def test_only_the_newest_are_kept(engine, monkeypatch):
    monkeypatch.setattr(history, 'KEEP_PER_TOPOLOGY', 5)
    kept = make(engine)
    for seconds in range(1, 9):
        kept.record(SINGLE, seconds)
    kept.record(PAIR, 100)
    assert kept.seconds(SINGLE) == [8, 7, 6, 5, 4]
    assert kept.seconds(PAIR) == [100]
    with engine.connect() as c:
        rows = c.execute(sa.select(sa.func.count()).select_from(
            history.FAILOVERS)).scalar()
    assert rows == 6


def test_creating_the_table_again_is_harmless(engine):
    make(engine).record(SINGLE, 30)
    history.ensure_table(engine)
    again = make(engine)
    again.record(SINGLE, 50)
    assert again.figures(SINGLE).count == 2


def test_a_refused_write_does_not_fail_the_failover(engine, caplog):
    kept = make(engine)
    kept.record(SINGLE, 30)
    with engine.begin() as c:
        c.exec_driver_sql('DROP TABLE %s' % history.TABLE_NAME)
    kept.record(SINGLE, 40)
    assert 'Failover history not saved' in caplog.text


def rows(done, running, pending, topology=SINGLE):
    return ([{'outcome': 'succeeded', 'topology': topology}] * done +
            [{'outcome': 'running', 'topology': topology}] * running +
            [{'outcome': 'pending', 'topology': topology}] * pending)


def test_eta_does_not_climb_while_work_is_steady(engine):
    """A 40-target campaign, 4 failovers at once, each 60 s as the
    cloud's past ones: sampled every simulated second, the ETA only goes
    down, and the figures it uses take in the campaign's own failovers."""
    clock = fake_clock.FakeClock(now=0.0)
    kept = make(engine, clock=clock)
    for _ in range(10):
        kept.record(SINGLE, 60)
    throttle = Throttle()
    targets, at_once, took = 40, throttle.max_concurrent_failovers, 60
    etas = []
    done = 0
    while done < targets:
        running = min(at_once, targets - done)
        etas.append(status.failover_eta_seconds(
            rows(done, running, targets - done - running),
            kept.failover_times(120), throttle))
        clock.sleep(1)
        if clock.now % took == 0:
            for _ in range(running):
                kept.record(SINGLE, took, campaign_id='c-1')
            done += running
    assert etas[0] == targets * took / at_once
    assert all(later <= earlier for earlier, later in zip(etas, etas[1:]))
    assert etas[-1] == took
    assert status.failover_eta_seconds(rows(40, 0, 0), kept.failover_times(
        120), throttle) is None


def test_eta_follows_the_observed_failovers(engine):
    """Slower failovers than the cloud's past raise the ETA once, as they
    join the figures; then it falls again at the new pace."""
    kept = make(engine)
    for _ in range(5):
        kept.record(SINGLE, 60)
    throttle = Throttle()
    before = status.failover_eta_seconds(rows(0, 4, 36), kept.failover_times(
        120), throttle)
    for _ in range(10):
        kept.record(SINGLE, 90)
    after = status.failover_eta_seconds(rows(10, 4, 26), kept.failover_times(
        120), throttle)
    assert before == 600
    assert after == 30 * 90 / 4
