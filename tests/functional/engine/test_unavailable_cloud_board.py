"""An unavailable cloud is not a failed target, on the ZooKeeper board.

A real conductor process claims the children. The simulator keeps one
load balancer's GETs answering 503 for longer than ``[cloud]
api_retry_seconds``: its target ends ``not-attempted`` (not ``failed``),
saying the API answered 503; once the API answers again, ``job resume``
runs that target again and the campaign succeeds, every load balancer
failed over once.
"""

import pytest

from octavia_maint.common import constants
from tests.functional.engine import conftest

LBS = 4


@pytest.fixture
def sim(monkeypatch):
    sim = conftest.make_simulator(monkeypatch, load_balancers=LBS,
                                  failover_seconds=0.3)
    yield sim
    sim.cleanUp()


@pytest.fixture
def cluster(zk, sim, config, tmp_path, image_file):
    groups = conftest.board_groups(
        zk, tmp_path, 2, cloud={'api_retry_seconds': 2.0,
                                'api_retry_max_delay': 0.2})
    with conftest.board_cluster(sim, config, tmp_path, groups) as cluster:
        cluster[0].backend.cloud.create_image('amphora-new', image_file,
                                              ['amphora'])
        yield cluster


def test_outage_of_one_lb_is_not_attempted_then_resumed(sim, cluster):
    service, start = cluster
    start(1)
    down = sorted(lb['id'] for lb in
                  service.backend.cloud.list_load_balancers())[0]
    sim.set_faults(unavailable_lb_gets={down: 10 ** 6})

    job_id = service.post(constants.ROTATE_IMAGE, {})
    view = conftest.wait_done(service, job_id)

    assert view['state'] == constants.JOB_FAILED
    row = next(t for t in view['targets'] if t['target'] == down)
    assert row['outcome'] == constants.OUTCOME_NOT_ATTEMPTED, row
    assert 'load-balancer (Octavia) API answered HTTP 503' in row['reason']
    assert view['counts'][constants.OUTCOME_FAILED] == 0
    assert down not in sim.stats()['failovers_by_lb']

    sim.set_faults(unavailable_lb_gets={})
    service.resume(job_id)
    view = conftest.wait_done(service, job_id)

    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    row = next(t for t in view['targets'] if t['target'] == down)
    assert row['outcome'] == constants.OUTCOME_SUCCEEDED, row
    assert sorted(sim.stats()['failovers_by_lb'].values()) == [1] * LBS
    assert view['resumed_at'] > view['posted_at']
