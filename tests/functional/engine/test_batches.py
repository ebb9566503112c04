"""A board job carrying several targets, taken over after ``kill -9``.

Issue 13: a campaign's children go several to a board job, which one
conductor claims whole and runs side by side. The conductor here is
killed while its one batch holds a target in every state: verified
(its child succeeded), failing over (the cloud shows the failover in
flight), and not started (never failed over). The conductor that claims
the batch next runs only what did not finish: every load balancer is
failed over exactly once, and the throttle holds throughout.
"""

import pytest

from octavia_maint.common import constants
from tests.fixtures import simulator as sim_fixture
from tests.functional.engine import conftest

LBS = 6
THROTTLE = 2
SESSION_TIMEOUT = 4


@pytest.fixture
def sim(monkeypatch):
    # Slow enough failovers that the kill lands while two are in flight.
    sim = conftest.make_simulator(monkeypatch, load_balancers=LBS,
                                  active_standby_ratio=0.5, hosts=2,
                                  failover_seconds=3.0)
    yield sim
    sim.cleanUp()


def every_state_at_once(sim, service, job_id):
    """The targets' states once one is verified, one failing over in
    the cloud and one never started; else None."""
    stats = sim.stats()
    started = len(stats['failovers_by_lb'])
    ended = len(stats['failover_times']['ended'])
    outcomes = [t['outcome'] for t in service.show(job_id)['targets']]
    if (outcomes.count(constants.OUTCOME_SUCCEEDED) >= 1 and
            started - ended >= 1 and started < LBS):
        return {'verified': outcomes.count(constants.OUTCOME_SUCCEEDED),
                'failing_over': started - ended,
                'not_started': LBS - started}
    return None


def test_kill_9_of_a_conductor_holding_a_batch_in_every_state(
        zk, sim, config, tmp_path, image_file):
    groups = conftest.board_groups(
        zk, tmp_path, THROTTLE, session_timeout=SESSION_TIMEOUT,
        jobboard={'targets_per_board_job': LBS})
    with conftest.board_cluster(sim, config, tmp_path, groups) as (
            service, start):
        service.backend.cloud.create_image('amphora-new', image_file,
                                           ['amphora'])
        victim, = start(1)
        job_id = service.post(constants.ROTATE_IMAGE, {})
        # One board job carries every target (and the campaign another).
        sim_fixture.wait_until(
            lambda: len(service.backend.jobs_on_board()) == LBS + 1,
            timeout=30)
        assert len({board_job.uuid for child, board_job in
                    service.backend.jobs_on_board().items()
                    if child != job_id}) == 1
        states = sim_fixture.wait_until(
            lambda: every_state_at_once(sim, service, job_id), timeout=60,
            interval=0.1)
        victim.kill()
        start(1)
        view = conftest.wait_done(service, job_id)

    assert states['not_started'] >= 1, states
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert view['counts'][constants.OUTCOME_SUCCEEDED] == LBS
    stats = sim.stats()
    assert sorted(stats['failovers_by_lb'].values()) == [1] * LBS
    assert stats['peak_concurrent_failovers'] <= THROTTLE
