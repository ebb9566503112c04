"""What a failed or cancelled campaign leaves behind (issue 9, items 3, 5).

Local mode through the CLI's own runner, against the simulator over HTTP:
a campaign whose children fail stops and keeps what succeeded, ``job
resume`` finishes the work, only ``job cancel`` reverts, the circuit
breaker un-tags a new image that keeps ending in ERROR, and success is
checked against the cloud. Each test checks a claim of
doc/source/failed-or-cancelled-jobs.rst.
"""

import threading
import uuid

import pytest

from octavia_maint.common import constants
from tests.fixtures import certificates
from tests.fixtures import simulator as sim_fixture
from tests.functional.engine import conftest

FAILOVER_SECONDS = 0.2
TAG = 'amphora'


@pytest.fixture
def sim(monkeypatch):
    sim = conftest.make_simulator(
        monkeypatch, load_balancers=10, active_standby_ratio=0.5,
        ovn_ratio=0.0, hosts=4, failover_seconds=FAILOVER_SECONDS)
    yield sim
    sim.cleanUp()


def run(service, job_id):
    service.local_runner().run(job_id)
    return service.show(job_id)


def tagged(service, image_id):
    return TAG in service.backend.cloud.get_image(image_id)['tags']


def job_image(service, job_id):
    """The image job ``job_id`` uploaded (it carries the job's tag)."""
    images = service.backend.cloud.list_images(
        'octavia-maint-job-' + job_id)
    assert len(images) == 1
    return images[0]


def lb_ids(sim):
    return sorted(lb.id for lb in sim.connection().load_balancer
                  .load_balancers())


def stale_amphorae(sim, image_id):
    return [a.id for a in sim.connection().load_balancer.amphorae()
            if a.image_id != image_id]


def failed_rotation(sim, config, tmp_path, image_file, **throttle):
    """A rotate-image whose failovers of two load balancers keep answering
    409 past the failover timeout: ``(service, job_id, view, busy)``."""
    service = conftest.local_service(
        config, tmp_path, max_concurrent_failovers=3, failover_timeout=1,
        **throttle)
    busy = lb_ids(sim)[:2]
    sim.set_faults(failover_conflict_lb_ids=busy)
    job_id = service.post(constants.ROTATE_IMAGE, {'image_file': image_file})
    return service, job_id, run(service, job_id), busy


def test_failed_campaign_keeps_what_succeeded_and_resume_finishes(
        sim, config, tmp_path, image_file):
    service, job_id, view, busy = failed_rotation(sim, config, tmp_path,
                                                  image_file)
    assert view['state'] == constants.JOB_FAILED
    assert view['counts'][constants.OUTCOME_FAILED] == 2
    assert view['counts'][constants.OUTCOME_SUCCEEDED] == 8
    image = job_image(service, job_id)
    # Kept: the image stays tagged, so no amphora boots the old one again.
    assert tagged(service, image['id'])
    assert service.backend.cloud.find_newest_image(TAG)['id'] == image['id']
    assert 'job resume %s' % job_id in view['next_steps']
    assert 'job cancel %s' % job_id in view['next_steps']
    assert 'stays tagged' in view['next_steps']
    failovers = sim.stats()['failovers_by_lb']
    assert sorted(failovers) == sorted(set(lb_ids(sim)) - set(busy))

    sim.set_faults(failover_conflict_lb_ids=[])
    assert service.resume(job_id)['state'] == constants.JOB_INTERRUPTED
    view = run(service, job_id)

    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert view['next_steps'] is None
    # The eight that succeeded were not failed over again.
    assert sorted(sim.stats()['failovers_by_lb'].values()) == [1] * 10
    assert stale_amphorae(sim, image['id']) == []
    assert tagged(service, image['id'])
    service.close()


def test_cancel_after_a_failure_reverts(sim, config, tmp_path, image_file):
    service, job_id, view, _busy = failed_rotation(sim, config, tmp_path,
                                                   image_file)
    assert view['state'] == constants.JOB_FAILED
    image = job_image(service, job_id)

    service.cancel(job_id)
    view = run(service, job_id)

    assert view['state'] == constants.JOB_CANCELLED
    # Amphorae run on the image: the revert keeps it and drops the tag.
    assert not tagged(service, image['id'])
    assert service.backend.cloud.find_newest_image(TAG)['id'] != image['id']
    assert 'tag' in view['next_steps']
    assert sum(sim.stats()['failovers_by_lb'].values()) == 8
    service.close()


def test_breaker_untags_a_new_image_that_ends_in_error(sim, config, tmp_path,
                                                       image_file):
    service = conftest.local_service(config, tmp_path,
                                     max_concurrent_failovers=1,
                                     max_failures=2)
    sim.set_faults(failover_error_rate=1.0)
    job_id = service.post(constants.ROTATE_IMAGE, {'image_file': image_file})

    view = run(service, job_id)

    assert view['state'] == constants.JOB_FAILED
    assert view['counts'][constants.OUTCOME_FAILED] == 2
    assert view['counts'][constants.OUTCOME_NOT_ATTEMPTED] == 8
    image = job_image(service, job_id)
    assert not tagged(service, image['id'])
    assert image['id'] in view['protection']
    assert 'circuit breaker' in view['protection']
    assert view['protection'] in view['next_steps']
    assert 'job resume' not in view['next_steps']
    # The tag went away once the breaker opened, before the campaign
    # ended: the job's own revert never ran.
    assert sum(sim.stats()['failovers_by_lb'].values()) == 2
    service.close()


def test_success_is_checked_against_the_cloud(sim, config, tmp_path):
    service = conftest.local_service(config, tmp_path,
                                     max_concurrent_failovers=3)
    ca = certificates.CA(tmp_path)
    job_id = service.post(constants.ROTATE_CERTS, {
        'mode': 'client-ca', 'ca_cert': str(ca.cert_path),
        'client_cert': str(ca.issue(tmp_path))})
    runner = threading.Thread(target=service.local_runner().run,
                              args=(job_id,), daemon=True)
    runner.start()
    sim_fixture.wait_until(lambda: service.view(job_id)['waiting_for'],
                           timeout=30)
    # Created while the job waits at the deploy gate: its amphora gets
    # the old client CA, and the plan (made before the gate) never saw it.
    sim.set_transitions(
        lb_create={'seconds': FAILOVER_SECONDS, 'jitter': 0})
    conn = sim.connection()
    late = conn.load_balancer.create_load_balancer(
        name='late', vip_subnet_id=str(uuid.uuid4()))
    conn.load_balancer.wait_for_load_balancer(late.id, interval=0.05,
                                              wait=30)

    service.continue_job(job_id)
    runner.join(60)

    view = service.show(job_id)
    assert view['state'] == constants.JOB_FAILED
    assert view['counts'][constants.OUTCOME_SUCCEEDED] == 10
    assert '1 load balancers in scope still need the work' in view['reason']
    assert late.id in view['reason']
    assert late.id not in sim.stats()['failovers_by_lb']
    service.close()
