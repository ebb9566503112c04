"""What a failed or cancelled campaign leaves behind, on the ZooKeeper board
with a real conductor process (issue 9, item 3).

A campaign whose failovers of two load balancers keep answering 409
stops and keeps the uploaded image tagged; ``job resume`` finishes on the
conductor without failing the others over again; ``job cancel`` of a
failed job makes a conductor revert it.
"""

import pytest

from octavia_maint.common import constants
from tests.functional.engine import conftest

LBS = 8


@pytest.fixture
def sim(monkeypatch):
    sim = conftest.make_simulator(monkeypatch, load_balancers=LBS,
                                  active_standby_ratio=0.5, ovn_ratio=0.0,
                                  hosts=4, failover_seconds=0.3)
    yield sim
    sim.cleanUp()


@pytest.fixture
def failed(zk, sim, config, tmp_path, image_file):
    """``(service, job_id, image_id)`` of a failed rotation on the board."""
    groups = conftest.board_groups(zk, tmp_path, 3,
                                   throttle={'failover_timeout': 1})
    with conftest.board_cluster(sim, config, tmp_path, groups) as (service,
                                                                   start):
        start(1)
        lbs = sorted(lb.id for lb in sim.connection().load_balancer
                     .load_balancers())
        sim.set_faults(failover_conflict_lb_ids=lbs[:2])
        job_id = service.post(constants.ROTATE_IMAGE,
                              {'image_file': image_file})
        view = conftest.wait_done(service, job_id)
        assert view['state'] == constants.JOB_FAILED
        assert view['counts'][constants.OUTCOME_FAILED] == 2
        image, = service.backend.cloud.list_images(
            'octavia-maint-job-' + job_id)
        assert 'amphora' in image['tags']
        sim.set_faults(failover_conflict_lb_ids=[])
        yield service, job_id, image['id']


def test_resume_on_the_board_finishes_without_repeating(sim, failed):
    service, job_id, image_id = failed
    service.resume(job_id)
    view = conftest.wait_done(service, job_id)
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert sorted(sim.stats()['failovers_by_lb'].values()) == [1] * LBS
    assert 'amphora' in service.backend.cloud.get_image(image_id)['tags']


def test_cancel_of_a_failed_job_is_reverted_by_a_conductor(sim, failed):
    service, job_id, image_id = failed
    service.cancel(job_id)
    view = conftest.wait_done(service, job_id)
    assert view['state'] == constants.JOB_CANCELLED
    assert 'amphora' not in service.backend.cloud.get_image(image_id)['tags']
    assert sum(sim.stats()['failovers_by_lb'].values()) == LBS - 2
