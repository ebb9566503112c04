"""A campaign rides out ZooKeeper going away, by itself (issue 10).

Real conductors on a real ZooKeeper that is restarted mid-rotation (same
port and data, down below, about and above the session timeout), and a
3-node ensemble whose leader is killed with kill -9. The judge is the
simulator: every load balancer failed over exactly once, never more than
the throttle at a time, and the job ends ``succeeded`` without anyone
running ``job resume``. A lost claim must leave the job on the board for
the next owner, never consume it.
"""

import pytest

from octavia_maint.common import constants
from tests.fixtures import simulator as sim_fixture
from tests.fixtures import zookeeper
from tests.functional.engine import conftest

pytestmark = pytest.mark.slow

SESSION_TIMEOUT = 4
THROTTLE = 5


def make_sim(monkeypatch, lbs):
    return conftest.make_simulator(monkeypatch, load_balancers=lbs,
                                   active_standby_ratio=0.5, hosts=4,
                                   failover_seconds=1.0)


@pytest.fixture
def own_zk(tmp_path):
    """A ZooKeeper of this test alone: restarting it must not touch the
    one the rest of the run shares."""
    server = zookeeper.PrivateZooKeeper(tmp_path / 'zk').start()
    yield server
    server.stop()


@pytest.fixture
def ensemble(tmp_path):
    servers = zookeeper.PrivateEnsemble(tmp_path / 'ensemble').start()
    yield servers
    servers.stop()


def run_rotation(sim, config, tmp_path, image_file, zk, conductors,
                 disturb):
    """Post a rotation on ``conductors`` conductors, call ``disturb`` once
    a few failovers went through, and return the job's final view and
    the conductors' logs."""
    groups = conftest.board_groups(zk, tmp_path, THROTTLE,
                                   session_timeout=SESSION_TIMEOUT)
    with conftest.board_cluster(sim, config, tmp_path, groups) as cluster:
        service, start = cluster
        service.backend.cloud.create_image('amphora-new', image_file,
                                           ['amphora'])
        started = start(conductors)
        job_id = service.post(constants.ROTATE_IMAGE, {})
        sim_fixture.wait_until(
            lambda: len(sim.stats()['failovers_by_lb']) >= 8, timeout=120)
        disturb()
        try:
            # Well below pytest's own timeout: a rotation that does not
            # end must say where it stands, not only that it timed out.
            view = conftest.wait_done(service, job_id, timeout=150)
        except AssertionError:
            pytest.fail(where_it_stands(service, job_id, sim, started))
        return view, [c.log() for c in started]


def where_it_stands(service, job_id, sim, conductors):
    """What a rotation that did not end shows: the job, its unfinished
    targets, the board, the cloud, and what the conductors warned of."""
    view = service.show(job_id)
    unfinished = [(t.get('target'), t.get('state'), t.get('outcome'))
                  for t in view['targets']
                  if t.get('outcome') != constants.OUTCOME_SUCCEEDED]
    lines = ['job %s is %s: %s; counts %s' % (
                 job_id, view['state'], view.get('reason'), view['counts']),
             'unfinished targets: %s' % unfinished[:20],
             'on the board: %s' % sorted(service.backend.board.jobs_by_book()),
             'cloud: %s' % {k: v for k, v in sim.stats().items()
                            if k != 'failovers_by_lb'}]
    for i, conductor in enumerate(conductors):
        lines.append('conductor %d:' % i)
        lines.extend([line for line in conductor.log().splitlines()
                      if (' WARNING ' in line or ' ERROR ' in line) and
                      'kazoo.client' not in line][-40:])
    return '\n'.join(lines)


def assert_converged_once(sim, view, logs, lbs):
    bad = [(t.get('target'), t.get('outcome'), t.get('reason'))
           for t in view['targets']
           if t.get('outcome') != constants.OUTCOME_SUCCEEDED]
    assert view['state'] == constants.JOB_SUCCEEDED, (view['reason'], bad)
    assert view['counts'][constants.OUTCOME_SUCCEEDED] == lbs
    stats = sim.stats()
    assert sorted(stats['failovers_by_lb'].values()) == [1] * lbs
    assert stats['peak_concurrent_failovers'] <= THROTTLE
    for log in logs:
        noisy = [line for line in log.splitlines()
                 if 'consumption proceeding' in line or 'Traceback' in line
                 or ' ERROR ' in line]
        assert not noisy, '\n'.join(noisy[:20])


@pytest.mark.parametrize('down_seconds', [0.2, SESSION_TIMEOUT,
                                          2 * SESSION_TIMEOUT])
def test_zookeeper_restart_mid_rotation_finishes_by_itself(
        monkeypatch, config, tmp_path, image_file, own_zk, down_seconds):
    lbs = 24
    sim = make_sim(monkeypatch, lbs)
    try:
        view, logs = run_rotation(
            sim, config, tmp_path, image_file, own_zk, 3,
            lambda: own_zk.restart(down_seconds))
        assert_converged_once(sim, view, logs, lbs)
    finally:
        sim.cleanUp()


def test_ensemble_leader_killed_mid_rotation(
        monkeypatch, config, tmp_path, image_file, ensemble):
    lbs = 36
    sim = make_sim(monkeypatch, lbs)
    killed = []

    def kill_leader():
        node = ensemble.leader()
        ensemble.kill(node)
        killed.append(node)

    try:
        view, logs = run_rotation(sim, config, tmp_path, image_file,
                                  ensemble, 2, kill_leader)
        ensemble.relaunch(killed[0])
        assert_converged_once(sim, view, logs, lbs)
    finally:
        sim.cleanUp()
