"""The throttle bounds what the cloud sees, also after kill -9 (issue 10).

Failovers here take twice the ZooKeeper session timeout. A conductor
killed mid-failover loses its throttle leases when its session expires,
while Octavia (the simulator) still runs its failovers for seconds more;
the survivors must not fill the freed slots with new failovers until
those end. The simulator's peak of concurrent failovers is the judge.
``tools/bench/throttle_truth.py`` runs the same trial several times.
"""

import time

import pytest

from octavia_maint.common import constants
from tests.fixtures import simulator as sim_fixture
from tests.functional.engine import conftest

LBS = 16
THROTTLE = 4
SESSION_TIMEOUT = 4
FAILOVER_SECONDS = 2 * SESSION_TIMEOUT


@pytest.fixture
def sim(monkeypatch):
    sim = conftest.make_simulator(monkeypatch, load_balancers=LBS,
                                  active_standby_ratio=0.5, hosts=4,
                                  failover_seconds=FAILOVER_SECONDS)
    yield sim
    sim.cleanUp()


@pytest.fixture
def cluster(zk, sim, config, tmp_path, image_file):
    groups = conftest.board_groups(zk, tmp_path, THROTTLE,
                                   session_timeout=SESSION_TIMEOUT)
    with conftest.board_cluster(sim, config, tmp_path, groups) as cluster:
        cluster[0].backend.cloud.create_image('amphora-new', image_file,
                                              ['amphora'])
        yield cluster


def kill_mid_failover(sim, conductors):
    """kill -9 the first conductor once a full round of failovers runs,
    so that it surely holds some of them in flight."""
    sim_fixture.wait_until(
        lambda: sim.stats()['concurrent_failovers'] >= THROTTLE, timeout=60)
    time.sleep(1)
    conductors[0].kill()


def test_kill_9_with_failovers_in_flight_keeps_the_throttle(sim, cluster):
    service, start = cluster
    conductors = start(2)
    job_id = service.post(constants.ROTATE_IMAGE, {})
    kill_mid_failover(sim, conductors)
    view = conftest.wait_done(service, job_id, timeout=150)
    stats = sim.stats()
    assert stats['peak_concurrent_failovers'] <= THROTTLE, stats
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert sorted(stats['failovers_by_lb'].values()) == [1] * LBS
