"""rotate-image on the ZooKeeper board with real conductor processes.

Real ZooKeeper (the project's private instance), real
``octavia-maint-conductor`` services, a shared SQLite persistence file,
and the simulator's counters as the judge of what the cloud saw: one
failover per rotated load balancer, never more, whatever happens to the
conductors.
"""

import signal
import socket
import time
import urllib.request

from prometheus_client import parser
import pytest

from octavia_maint.common import constants
from tests.fixtures import simulator as sim_fixture
from tests.functional.engine import conftest

LBS = 12
THROTTLE = 3
SESSION_TIMEOUT = 4


@pytest.fixture
def sim(monkeypatch):
    sim = conftest.make_simulator(monkeypatch, load_balancers=LBS,
                                  active_standby_ratio=0.5, hosts=4,
                                  failover_seconds=1.0)
    yield sim
    sim.cleanUp()


@pytest.fixture
def cluster(zk, sim, config, tmp_path, image_file):
    """Config, a board-mode JobService, and a way to start conductors."""
    groups = conftest.board_groups(zk, tmp_path, THROTTLE,
                                   session_timeout=SESSION_TIMEOUT)
    with conftest.board_cluster(sim, config, tmp_path, groups) as cluster:
        cluster[0].backend.cloud.create_image('amphora-new', image_file,
                                              ['amphora'])
        yield cluster


def assert_rotated_once(sim, view):
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert view['counts'][constants.OUTCOME_SUCCEEDED] == LBS
    stats = sim.stats()
    assert sorted(stats['failovers_by_lb'].values()) == [1] * LBS
    assert stats['peak_concurrent_failovers'] <= THROTTLE


def test_two_conductors_share_a_rotation(sim, cluster):
    service, start = cluster
    conductors = start(2)
    job_id = service.post(constants.ROTATE_IMAGE, {})
    assert_rotated_once(sim, conftest.wait_done(service, job_id))
    logs = [c.log() for c in conductors]
    assert all('Conductor' in log for log in logs)


def test_kill_9_mid_campaign_causes_no_duplicate(sim, cluster):
    service, start = cluster
    victim, survivor = start(2)
    job_id = service.post(constants.ROTATE_IMAGE, {})
    sim_fixture.wait_until(lambda: len(sim.stats()['failovers_by_lb']) >= 4,
                           timeout=60)
    victim.kill()
    assert_rotated_once(sim, conftest.wait_done(service, job_id))


def test_sigterm_hands_over_without_repeating(sim, cluster):
    service, start = cluster
    leaving, staying = start(2)
    job_id = service.post(constants.ROTATE_IMAGE, {})
    sim_fixture.wait_until(lambda: len(sim.stats()['failovers_by_lb']) >= 4,
                           timeout=60)
    began = time.monotonic()
    assert leaving.terminate() == 0
    assert time.monotonic() - began < 10
    assert_rotated_once(sim, conftest.wait_done(service, job_id))


def post_rotation_and_wait_for_failovers(sim, service, failovers=2):
    job_id = service.post(constants.ROTATE_IMAGE, {})
    sim_fixture.wait_until(
        lambda: len(sim.stats()['failovers_by_lb']) >= failovers, timeout=60)
    return job_id


def assert_no_error_logged(conductor):
    """What happened was news for the operator, not trouble: no ERROR
    line and no traceback in the conductor's log."""
    noisy = [line for line in conductor.log().splitlines()
             if ' ERROR ' in line or 'Traceback' in line]
    assert not noisy, '\n'.join(noisy[:20])


def test_frozen_conductor_does_not_fail_over_again(sim, cluster):
    service, start = cluster
    frozen, = start(1)
    job_id = post_rotation_and_wait_for_failovers(sim, service)
    frozen.signal(signal.SIGSTOP)
    start(1)
    time.sleep(SESSION_TIMEOUT + 3)
    frozen.signal(signal.SIGCONT)
    assert_rotated_once(sim, conftest.wait_done(service, job_id))
    # Woken past its session, it lost its jobs (issue 10).
    assert_no_error_logged(frozen)


def test_a_cancel_is_no_error_in_the_conductor_log(sim, cluster):
    service, start = cluster
    conductor, = start(1)
    job_id = post_rotation_and_wait_for_failovers(sim, service)
    service.cancel(job_id)
    assert conftest.wait_done(service, job_id)['state'] == (
        constants.JOB_CANCELLED)
    assert_no_error_logged(conductor)


def test_metrics_show_the_campaign_and_the_throttle(zk, sim, config, tmp_path,
                                                    image_file):
    port = free_port()
    groups = conftest.board_groups(
        zk, tmp_path, THROTTLE, session_timeout=SESSION_TIMEOUT,
        conductor={'metrics_host': '127.0.0.1', 'metrics_port': port})
    with conftest.board_cluster(sim, config, tmp_path, groups) as cluster:
        service, start = cluster
        service.backend.cloud.create_image('amphora-new', image_file,
                                           ['amphora'])
        start(1)
        job_id = service.post(constants.ROTATE_IMAGE, {})
        seen = {}

        def scraped_mid_campaign():
            samples = scrape(port)
            done = samples.get((
                'octavia_maint_campaign_targets',
                (('campaign', job_id), ('outcome', 'succeeded'),
                 ('procedure', constants.ROTATE_IMAGE))), 0)
            in_flight = samples.get(
                ('octavia_maint_throttle_failovers_in_flight', ()), 0)
            seen['max_in_flight'] = max(seen.get('max_in_flight', 0),
                                        in_flight)
            seen.update(samples)
            return done >= 1 and seen['max_in_flight'] >= 1
        sim_fixture.wait_until(scraped_mid_campaign, timeout=60)
        assert_rotated_once(sim, conftest.wait_done(service, job_id))
    assert seen[('octavia_maint_throttle_max_concurrent_failovers',
                 ())] == THROTTLE
    assert seen['max_in_flight'] <= THROTTLE
    assert seen[('octavia_maint_campaign_breaker_open',
                 (('campaign', job_id),))] == 0


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def scrape(port):
    """``{(name, sorted labels): value}`` of the conductor's /metrics."""
    try:
        with urllib.request.urlopen('http://127.0.0.1:%d/metrics' % port,
                                    timeout=5) as reply:
            text = reply.read().decode()
    except OSError:
        return {}
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in parser.text_string_to_metric_families(text)
            for s in family.samples}
