"""The failover history on every supported database (real servers)."""

from oslo_config import fixture as config_fixture
import pytest

from octavia_maint.common import estimates
from octavia_maint import conf
from octavia_maint.jobs import history
from octavia_maint.jobs import persistence
from tests.fixtures import databases

SINGLE = estimates.TOPOLOGY_SINGLE
PAIR = estimates.TOPOLOGY_ACTIVE_STANDBY


@pytest.fixture(params=databases.KINDS)
def backend(request, tmp_path):
    with databases.database(request.param, tmp_path) as url:
        config = config_fixture.Config(conf.CONF)
        config.setUp()
        config.config(connection=url, group='persistence')
        backend = persistence.open_backend(conf.CONF)
        yield backend
        backend.close()
        config.cleanUp()


def kept(backend, cloud='http://keystone/v3 RegionOne'):
    """As a job backend keeps it: rows written with the saves of the
    moment (the persistence backend's group commit)."""
    return history.FailoverHistory(backend.engine, lambda: cloud,
                                   transaction=backend.transaction)


def test_recorded_bounded_and_per_cloud(backend, monkeypatch):
    monkeypatch.setattr(history, 'KEEP_PER_TOPOLOGY', 3)
    mine = kept(backend)
    for seconds in (10, 20, 30, 40):
        mine.record(SINGLE, seconds, campaign_id='c-1')
    mine.record(PAIR, 95.5)
    kept(backend, cloud='http://other/v3 RegionOne').record(SINGLE, 500)
    assert mine.seconds(SINGLE) == [40, 30, 20]
    assert mine.figures(SINGLE) == estimates.Figures(3, 30.0, 40.0)
    assert mine.figures(PAIR).median_seconds == 95.5
    assert mine.figures().count == 4


def test_the_table_is_made_once_whoever_comes_first(backend):
    kept(backend).record(SINGLE, 10)
    history.ensure_table(backend.engine)
    again = kept(backend)
    again.record(SINGLE, 20)
    assert again.figures(SINGLE).count == 2
