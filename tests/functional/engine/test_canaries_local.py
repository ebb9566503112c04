"""Canary waves and the data-plane check in local mode, end to end,
against the simulator over HTTP (issue 11's "Done when").

The simulator marks the image the job uploads bad (amphorae booted from
it come up ACTIVE, their listeners, pools and members ERROR), or a share
of the boots onto it (a flaky image); its counters and audit log say
which load balancers the cloud saw failed over.
"""

import threading

import pytest

from octavia_maint.common import constants
from tests.fixtures import simulator as sim_fixture
from tests.functional.engine import conftest

# Long enough that the job's upload is marked bad before the first
# failover onto it ends.
FAILOVER_SECONDS = 0.5
VERIFY = {'settle_seconds': 1, 'first_look_seconds': 0,
          'poll_interval': 0.05}


@pytest.fixture
def fleet_size():
    return 12


@pytest.fixture
def failover_seconds():
    return FAILOVER_SECONDS


@pytest.fixture
def sim(monkeypatch, fleet_size, failover_seconds):
    sim = conftest.make_simulator(
        monkeypatch, load_balancers=fleet_size, active_standby_ratio=0.5,
        projects=3, hosts=4, failover_seconds=failover_seconds)
    yield sim
    sim.cleanUp()


@pytest.fixture
def service(sim, config, tmp_path):
    groups = conftest.local_groups(tmp_path, max_concurrent_failovers=4,
                                   max_failures=2)
    groups['verify'] = VERIFY
    service = conftest.service_for(config, groups)
    yield service
    service.close()


def start(service, job_id):
    runner = threading.Thread(target=service.local_runner().run,
                              args=(job_id,), daemon=True)
    runner.start()
    return runner


def mark_uploaded_image_bad(sim, service, before, fraction=1.0):
    """Once the job's upload is Octavia's boot image, mark it bad, before
    its first failover ends (the simulator judges an amphora at boot)."""
    image = sim_fixture.wait_until(
        lambda: (lambda i: i if i and i['id'] != before else None)(
            service.backend.cloud.find_newest_image('amphora')),
        timeout=30, interval=0.01)
    sim.set_faults(bad_image_ids=[image['id']], bad_fraction=fraction)
    return image


def failed_over(sim):
    """``{lb_id: failovers}`` the cloud saw, and the LBs of the audit
    log's failover calls (every mutating call is audited)."""
    audited = {e['target_id'] for e in sim.audit()
               if e['path'].endswith('/failover')}
    counted = sim.stats()['failovers_by_lb']
    assert audited == set(counted)
    return counted


def canary_rows(service, job_id):
    return [t for t in service.show(job_id)['targets']
            if t['outcome'] != constants.OUTCOME_PENDING]


def test_a_bad_image_fails_the_canaries_and_nothing_else(sim, service,
                                                         image_file):
    before = service.backend.cloud.find_newest_image('amphora')['id']
    job_id = service.post(constants.ROTATE_IMAGE,
                          {'image_file': image_file, 'canary': 3})
    runner = start(service, job_id)
    image = mark_uploaded_image_bad(sim, service, before)
    runner.join(60)
    view = service.show(job_id)
    assert view['state'] == constants.JOB_FAILED
    canaries = canary_rows(service, job_id)
    assert len(canaries) == 3
    assert {t['outcome'] for t in canaries} == {constants.OUTCOME_FAILED}
    # Exactly the canaries were failed over, once; no other LB touched.
    assert failed_over(sim) == {t['target']: 1 for t in canaries}
    assert view['counts'][constants.OUTCOME_PENDING] == 9
    # The campaign names them and the listener states.
    assert view['reason'].startswith('3 of 3 canaries failed, so no other '
                                     'load balancer was touched')
    for t in canaries:
        assert t['target'] in view['reason']
    assert 'went from ONLINE to ERROR after failover' in view['reason']
    # Both topologies and several projects among them.
    assert len({t['project_id'] for t in canaries}) >= 2
    # The breaker action ran: the image lost its tag.
    assert 'amphora' not in service.backend.cloud.get_image(
        image['id'])['tags']
    assert 'no longer carries tag amphora' in view['protection']


def test_a_good_image_stops_at_the_gate_then_rolls_out(sim, service,
                                                       image_file):
    plan = service.plan(constants.ROTATE_IMAGE,
                        {'image_file': image_file, 'canary': 3})
    assert 'Canaries first: ' in plan['notes']
    assert 'then a gate until job continue' in plan['notes']
    job_id = service.post(constants.ROTATE_IMAGE,
                          {'image_file': image_file, 'canary': 3})
    runner = start(service, job_id)
    waiting = sim_fixture.wait_until(
        lambda: (lambda v: v if v['state'] == constants.JOB_WAITING
                 else None)(service.view(job_id)), timeout=60)
    assert waiting['waiting_for'].startswith('3 canaries healthy on image ')
    assert ('"octavia-maint job continue %s" to roll out the rest' % job_id
            in waiting['waiting_for'])
    assert sorted(failed_over(sim).values()) == [1] * 3
    service.continue_job(job_id)
    runner.join(60)
    view = service.show(job_id)
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert view['counts'][constants.OUTCOME_SUCCEEDED] == 12
    assert sorted(failed_over(sim).values()) == [1] * 12


def test_a_soak_goes_on_by_itself(sim, service, image_file):
    job_id = service.post(constants.ROTATE_IMAGE,
                          {'image_file': image_file, 'canary': 2,
                           'canary_soak': 1})
    start(service, job_id).join(60)
    view = service.show(job_id)
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert sorted(failed_over(sim).values()) == [1] * 12


@pytest.mark.parametrize('fleet_size, failover_seconds', [(40, 1.0)])
def test_a_flaky_image_trips_the_breaker_with_data_plane_reasons(
        sim, service, image_file):
    # One failover in 10 boots amphorae that pass no traffic: the 10th and
    # the 20th open the breaker (max_failures 2).
    before = service.backend.cloud.find_newest_image('amphora')['id']
    job_id = service.post(constants.ROTATE_IMAGE,
                          {'image_file': image_file})
    runner = start(service, job_id)
    mark_uploaded_image_bad(sim, service, before, fraction=0.1)
    runner.join(60)
    view = service.show(job_id)
    assert view['state'] == constants.JOB_FAILED
    data_plane = [t for t in view['targets']
                  if t['outcome'] == constants.OUTCOME_FAILED and
                  'went from ONLINE to ERROR after failover' in t['reason']]
    assert len(data_plane) == 2
    assert 'circuit breaker opened' in view['protection']
    # Stopped: what was not failed over yet never will be by this job.
    assert view['counts'][constants.OUTCOME_NOT_ATTEMPTED] > 0
    assert sum(failed_over(sim).values()) < 40


def test_no_verify_traffic_lets_a_bad_image_through(sim, service,
                                                    image_file):
    before = service.backend.cloud.find_newest_image('amphora')['id']
    job_id = service.post(constants.ROTATE_IMAGE,
                          {'image_file': image_file,
                           'verify_traffic': False})
    assert service.show(job_id)['parameters']['verify_traffic'] is False
    runner = start(service, job_id)
    mark_uploaded_image_bad(sim, service, before)
    runner.join(60)
    view = service.show(job_id)
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
