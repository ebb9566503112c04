"""heartbeat-key end to end: the simulator's health manager is the judge.

The test plays the operator at both gates through the simulator's control
API (deploy the key, SIGHUP the workers, restart the health managers;
later restore the timeout). One amphora's agent refuses its new
configuration, so the procedure must fail exactly that one over; the
health manager must fail over none (``automatic_failovers`` stays 0).
Simulated time runs 10 times faster: a 10 s heartbeat interval is one
real second, which is what the job is told.
"""

import threading
import time

import pytest

from octavia_maint.common import constants
from tests.fixtures import simulator as sim_fixture
from tests.functional.engine import conftest

SCALE = 10
LBS = 8                  # half ACTIVE_STANDBY: 12 amphorae
AMPHORAE = 12
THROTTLE = 3
TIMEOUT = 120            # real seconds the operator raises the timeout to
PARAMS = {'heartbeat_timeout': TIMEOUT, 'restore_heartbeat_timeout': 60,
          'heartbeat_interval': 1}


@pytest.fixture
def sim(monkeypatch):
    sim = conftest.make_simulator(
        monkeypatch, load_balancers=LBS, active_standby_ratio=0.5, hosts=4,
        failover_seconds=10, time_scale=SCALE, heartbeat_interval=10)
    yield sim
    sim.cleanUp()


def refuse_one(sim):
    amphora_id = sorted(_amphora_ids(sim))[0]
    sim.set_faults(config_refused_amphora_ids=[amphora_id])
    return amphora_id


def _amphora_ids(sim):
    conn = sim.connection()
    try:
        return [a.id for a in conn.load_balancer.amphorae()]
    finally:
        conn.close()


def change_key(sim):
    """Gate 1, as the operator does it."""
    sim.set_heartbeat(heartbeat_key='rotated', heartbeat_timeout=TIMEOUT *
                      SCALE, sighup_workers=True,
                      restart_health_managers=True)


def restore_timeout(sim):
    """Gate 2, as the operator does it."""
    sim.set_heartbeat(heartbeat_timeout=60 * SCALE,
                      restart_health_managers=True)


def at_gate(service, job_id, gate_words, timeout=120):
    return sim_fixture.wait_until(
        lambda: (lambda v: v['state'] == constants.JOB_WAITING
                 and gate_words in (v['waiting_for'] or '') and v)(
            service.view(job_id)), timeout=timeout, interval=0.2)


def run_through_gates(sim, service, job_id):
    at_gate(service, job_id, 'heartbeat_timeout = %d' % TIMEOUT)
    change_key(sim)
    began = time.monotonic()
    service.continue_job(job_id)
    at_gate(service, job_id, 'back to 60')
    wave = time.monotonic() - began
    restore_timeout(sim)
    service.continue_job(job_id)
    return wave


def assert_key_changed_without_storm(sim, view, refused):
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert view['counts'][constants.OUTCOME_SUCCEEDED] == AMPHORAE
    stats = sim.stats()
    assert stats['automatic_failovers'] == 0
    assert stats['amphora_failovers_by_id'] == {refused: 1}
    assert stats['failovers_total'] == 1
    configures = stats['amphora_configs_by_id']
    assert len(configures) == AMPHORAE and set(configures.values()) == {1}
    heartbeat = sim.control('GET', 'heartbeat')
    assert heartbeat['stale_amphorae'] == 0
    assert heartbeat['deployed_key_running'] is True
    # Well past any timeout: still nothing for the health manager to do.
    sim.set_time(advance=TIMEOUT * SCALE)
    time.sleep(0.2)
    assert sim.stats()['automatic_failovers'] == 0
    return stats


def test_local_mode_changes_the_key_with_zero_automatic_failovers(
        sim, config, tmp_path):
    service = conftest.service_for(config, dict(
        conftest.local_groups(tmp_path,
                              max_concurrent_failovers=THROTTLE),
        octavia_db={'connection': sim.octavia_db_url}))
    refused = refuse_one(sim)
    job_id = service.post(constants.HEARTBEAT_KEY, dict(PARAMS))
    runner = threading.Thread(target=service.local_runner().run,
                              args=(job_id,), daemon=True)
    began = time.monotonic()
    runner.start()
    try:
        wave = run_through_gates(sim, service, job_id)
        runner.join(60)
        view = service.show(job_id)
        stats = assert_key_changed_without_storm(sim, view, refused)
        print('local: configure wave %.1fs, job %.1fs, configures %d, '
              'failovers %d, automatic failovers %d'
              % (wave, time.monotonic() - began,
                 stats['amphora_configs_total'], stats['failovers_total'],
                 stats['automatic_failovers']))
    finally:
        service.close()


def test_dry_run_plans_the_window_and_posts_nothing(sim, config, tmp_path):
    service = conftest.service_for(config, dict(
        conftest.local_groups(tmp_path, max_concurrent_failovers=THROTTLE),
        octavia_db={'connection': sim.octavia_db_url}))
    try:
        plan = service.plan(constants.HEARTBEAT_KEY, dict(PARAMS))
        assert plan['to_run'] == AMPHORAE
        assert 'may use 60s' in plan['notes']
        assert service.list() == []
        assert sim.stats()['amphora_configs_total'] == 0
    finally:
        service.close()


@pytest.fixture
def cluster(zk, sim, config, tmp_path):
    """``(service, conductors)``: two conductors on the board."""
    groups = conftest.board_groups(
        zk, tmp_path, THROTTLE,
        octavia_db={'connection': sim.octavia_db_url})
    with conftest.board_cluster(sim, config, tmp_path, groups) as (
            service, start):
        yield service, start(2)


def test_two_conductors_change_the_key(sim, cluster):
    service, _conductors = cluster
    refused = refuse_one(sim)
    job_id = service.post(constants.HEARTBEAT_KEY, dict(PARAMS))
    began = time.monotonic()
    wave = run_through_gates(sim, service, job_id)
    stats = assert_key_changed_without_storm(
        sim, conftest.wait_done(service, job_id), refused)
    print('board: configure wave %.1fs, job %.1fs, configures %d, '
          'failovers %d, automatic failovers %d'
          % (wave, time.monotonic() - began, stats['amphora_configs_total'],
             stats['failovers_total'], stats['automatic_failovers']))


def test_kill_9_in_the_configure_wave_repeats_nothing(sim, cluster):
    service, (victim, _survivor) = cluster
    refused = refuse_one(sim)
    job_id = service.post(constants.HEARTBEAT_KEY, dict(PARAMS))
    at_gate(service, job_id, 'heartbeat_timeout = %d' % TIMEOUT)
    change_key(sim)
    service.continue_job(job_id)
    sim_fixture.wait_until(
        lambda: sim.stats()['amphora_configs_total'] >= 3, timeout=60)
    victim.kill()
    at_gate(service, job_id, 'back to 60')
    restore_timeout(sim)
    service.continue_job(job_id)
    assert_key_changed_without_storm(sim, conftest.wait_done(service, job_id),
                                     refused)
