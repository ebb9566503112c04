"""rotate-certs on the ZooKeeper board with two real conductor processes.

A ``kill -9`` of a conductor in the middle must not repeat anything the
cloud sees: no second expiry of a certificate Octavia already renewed
(the simulator counts renewals per amphora), no second failover of a load
balancer.
"""

import pytest

from octavia_maint.common import constants
from tests.fixtures import certificates
from tests.fixtures import simulator as sim_fixture
from tests.functional.engine import conftest

LBS = 10
THROTTLE = 3


@pytest.fixture
def sim(monkeypatch):
    # Renewals take a while (30 s at 10x: 3 s), failovers 1 s.
    sim = conftest.make_simulator(
        monkeypatch, load_balancers=LBS, active_standby_ratio=0.5, hosts=4,
        failover_seconds=10, cert_interval=20, cert_rotate_seconds=30,
        time_scale=10)
    yield sim
    sim.cleanUp()


@pytest.fixture
def cluster(zk, sim, config, tmp_path):
    groups = conftest.board_groups(
        zk, tmp_path, THROTTLE,
        octavia_db={'connection': sim.octavia_db_url},
        octavia={'cert_rotation_timeout': 120})
    with conftest.board_cluster(sim, config, tmp_path, groups) as cluster:
        yield cluster


def campaign_owner(service, job_id, conductors):
    """The conductor process whose worker runs the campaign job."""
    owner = service.view(job_id)['conductor']
    pid = int(owner.rsplit('-', 1)[1])
    with open('/proc/%d/stat' % pid) as stat:
        parent = int(stat.read().rsplit(')', 1)[1].split()[1])
    return next(c for c in conductors if c.proc.pid in (pid, parent))


def amphora_ids(sim):
    return {a.id for a in sim.connection().load_balancer.amphorae()}


def test_housekeeping_kill_9_renews_each_certificate_once(sim, cluster):
    service, start = cluster
    conductors = start(2)
    before = amphora_ids(sim)
    job_id = service.post(constants.ROTATE_CERTS, {})
    sim_fixture.wait_until(
        lambda: service.show(job_id)['counts'][constants.OUTCOME_RUNNING],
        timeout=60, interval=0.2)
    # The campaign's owner: it expired the certificates, so the other
    # conductor re-plans from the saved state.
    campaign_owner(service, job_id, conductors).kill()
    view = conftest.wait_done(service, job_id, timeout=180)

    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert view['counts'][constants.OUTCOME_SUCCEEDED] == LBS
    stats = sim.stats()
    assert stats['failovers_by_lb'] == {}
    assert sorted(stats['cert_rotations_by_amphora']) == sorted(before)
    assert set(stats['cert_rotations_by_amphora'].values()) == {1}


def test_client_ca_gate_then_kill_9_fails_each_lb_over_once(sim, cluster,
                                                            tmp_path):
    service, start = cluster
    conductors = start(2)
    ca = certificates.CA(tmp_path)
    job_id = service.post(constants.ROTATE_CERTS, {
        'mode': 'client-ca', 'ca_cert': str(ca.cert_path),
        'client_cert': str(ca.issue(tmp_path))})
    view = sim_fixture.wait_until(
        lambda: (lambda v: v['waiting_for'] and v)(service.view(job_id)),
        timeout=60)
    assert view['state'] == constants.JOB_WAITING
    assert sim.stats()['failovers_by_lb'] == {}
    service.continue_job(job_id)
    sim_fixture.wait_until(lambda: len(sim.stats()['failovers_by_lb']) >= 3,
                           timeout=60)
    campaign_owner(service, job_id, conductors).kill()
    view = conftest.wait_done(service, job_id, timeout=180)

    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    stats = sim.stats()
    assert sorted(stats['failovers_by_lb'].values()) == [1] * LBS
    assert stats['peak_concurrent_failovers'] <= THROTTLE
