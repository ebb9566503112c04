"""A canary wave through real conductors on the ZooKeeper board: the
canaries' children are claimed by any conductor, the campaign waits at
its gate, and ``job continue`` rolls the rest out, each load balancer
failed over once (the simulator's counters)."""

import pytest

from octavia_maint.common import constants
from tests.fixtures import simulator as sim_fixture
from tests.functional.engine import conftest

LBS = 12


@pytest.fixture
def sim(monkeypatch):
    sim = conftest.make_simulator(monkeypatch, load_balancers=LBS,
                                  active_standby_ratio=0.5, projects=3,
                                  hosts=4, failover_seconds=0.3)
    yield sim
    sim.cleanUp()


def test_canaries_wait_at_the_gate_then_the_fleet_follows(zk, sim, config,
                                                          tmp_path,
                                                          image_file):
    groups = conftest.board_groups(zk, tmp_path, 3)
    with conftest.board_cluster(sim, config, tmp_path, groups) as cluster:
        service, start = cluster
        service.backend.cloud.create_image('amphora-new', image_file,
                                           ['amphora'])
        start(2)
        job_id = service.post(constants.ROTATE_IMAGE, {'canary': 3})
        view = sim_fixture.wait_until(
            lambda: (lambda v: v if v['state'] == constants.JOB_WAITING
                     else None)(service.view(job_id)), timeout=60)
        assert view['waiting_for'].startswith('3 canaries healthy on image')
        assert sorted(sim.stats()['failovers_by_lb'].values()) == [1] * 3
        service.continue_job(job_id)
        view = conftest.wait_done(service, job_id)
        assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
        assert view['counts'][constants.OUTCOME_SUCCEEDED] == LBS
        assert sorted(sim.stats()['failovers_by_lb'].values()) == [1] * LBS
