"""rotate-image in local mode, end to end, against the simulator over HTTP.

The real openstacksdk, TaskFlow and SQLite; the simulator's own counters
say what the cloud saw.
"""

import os
import subprocess
import sys

import pytest

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from tests.fixtures import simulator as sim_fixture
from tests.functional.engine import conftest
from tests.functional.engine import harness

FAILOVER_SECONDS = 0.4
RUN_LOCALLY = """
import sys
from octavia_maint import conf
from octavia_maint.jobs import service
conf.CONF(['--config-file', sys.argv[1]], project='octavia-maint')
service.JobService(conf.CONF).local_runner().run(sys.argv[2])
"""


@pytest.fixture
def sim(monkeypatch):
    sim = conftest.make_simulator(
        monkeypatch, load_balancers=8, active_standby_ratio=0.5,
        ovn_ratio=0.125, hosts=4, failover_seconds=FAILOVER_SECONDS)
    yield sim
    sim.cleanUp()


def stale_amphorae(sim, image_id):
    amps = sim.connection().load_balancer.amphorae()
    return [a.id for a in amps if a.image_id != image_id]


def run(service, job_id):
    service.local_runner().run(job_id)
    return service.show(job_id)


def test_rotation_uploads_rotates_and_never_repeats(sim, config, tmp_path,
                                                    image_file):
    service = conftest.local_service(config, tmp_path,
                                     max_concurrent_failovers=3)
    job_id = service.post(constants.ROTATE_IMAGE,
                          {'image_file': image_file})
    view = run(service, job_id)
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    counts = view['counts']
    assert counts[constants.OUTCOME_SUCCEEDED] == 7
    assert counts[constants.OUTCOME_SKIPPED] == 1          # the ovn LB
    image = service.backend.cloud.find_newest_image('amphora')
    assert stale_amphorae(sim, image['id']) == []
    stats = sim.stats()
    assert sorted(stats['failovers_by_lb'].values()) == [1] * 7
    assert stats['peak_concurrent_failovers'] <= 3
    # Resuming a finished job is refused; posting again finds nothing.
    with pytest.raises(exceptions.InvalidInput):
        service.resume(job_id)
    again = run(service, service.post(constants.ROTATE_IMAGE, {}))
    assert again['counts'][constants.OUTCOME_SKIPPED] == 8
    assert sorted(sim.stats()['failovers_by_lb'].values()) == [1] * 7
    service.close()


def test_crashed_local_run_resumes_without_repeating(sim, config, tmp_path,
                                                     image_file):
    groups = conftest.local_groups(tmp_path, max_concurrent_failovers=2)
    service = conftest.service_for(config, groups)
    job_id = service.post(constants.ROTATE_IMAGE, {'image_file': image_file})
    config_file = harness.write_config(tmp_path / 'local.conf', **groups)
    crashing = subprocess.Popen(
        [sys.executable, '-c', RUN_LOCALLY, config_file, job_id],
        env=dict(os.environ, OS_CLIENT_CONFIG_FILE=sim.clouds_yaml_path))
    sim_fixture.wait_until(lambda: len(sim.stats()['failovers_by_lb']) >= 3,
                           timeout=60)
    crashing.kill()
    crashing.wait()
    assert service.show(job_id)['state'] == constants.JOB_INTERRUPTED
    assert service.resume(job_id)['state'] == constants.JOB_INTERRUPTED
    view = run(service, job_id)
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert sorted(sim.stats()['failovers_by_lb'].values()) == [1] * 7
    service.close()


def test_circuit_breaker_stops_the_campaign(sim, config, tmp_path,
                                            image_file):
    service = conftest.local_service(config, tmp_path,
                                     max_concurrent_failovers=1,
                                     max_failures=2)
    sim.set_faults(failover_error_rate=1.0)
    service.backend.cloud.create_image('amphora-new', image_file,
                                       ['amphora'])
    job_id = service.post(constants.ROTATE_IMAGE, {})
    view = run(service, job_id)
    assert view['state'] == constants.JOB_FAILED
    counts = view['counts']
    assert counts[constants.OUTCOME_FAILED] == 2
    assert counts[constants.OUTCOME_NOT_ATTEMPTED] == 5
    assert sum(sim.stats()['failovers_by_lb'].values()) == 2
    assert '2 of 7 targets failed and 5 were not attempted' in view['reason']
    service.close()


def test_cancel_reverts_the_upload(sim, config, tmp_path, image_file):
    service = conftest.local_service(config, tmp_path,
                                     max_concurrent_failovers=1)
    job_id = service.post(constants.ROTATE_IMAGE, {'image_file': image_file})
    service.cancel(job_id)
    view = run(service, job_id)
    assert view['state'] == constants.JOB_CANCELLED
    assert service.backend.cloud.find_newest_image(
        'octavia-maint-job-' + job_id) is None
    assert sim.stats()['failovers_by_lb'] == {}
    service.close()


def test_overlapping_job_is_refused_unless_forced(sim, config, tmp_path):
    service = conftest.local_service(config, tmp_path)
    service.post(constants.ROTATE_IMAGE, {})
    with pytest.raises(exceptions.InvalidInput, match='already covers'):
        service.post(constants.ROTATE_IMAGE, {})
    assert service.post(constants.ROTATE_IMAGE, {}, force=True)
    service.close()


def test_dry_run_plans_without_acting(sim, config, tmp_path, image_file):
    service = conftest.local_service(config, tmp_path,
                                     max_concurrent_failovers=3)
    plan = service.plan(constants.ROTATE_IMAGE, {'image_file': image_file})
    assert plan['to_run'] == 7 and plan['rounds'] == 3
    assert service.list() == []
    assert sim.stats()['failovers_by_lb'] == {}
    assert len(service.backend.cloud.list_load_balancers()) == 8
    service.close()
