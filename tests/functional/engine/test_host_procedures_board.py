"""cleanup-node and evacuate-host on the ZooKeeper board, two conductors.

Real ZooKeeper, real ``octavia-maint-conductor`` processes sharing a
SQLite file; the one holding the campaign is killed with ``kill -9`` in
the middle. The simulator's counters judge: one delete per orphan, one
failover per amphora, one disable of the host, and tenant VMs never
touched.
"""

import pytest

from octavia_maint.common import constants
from tests.fixtures import simulator as sim_fixture
from tests.functional.engine import conftest
from tests.functional.engine import host_fleet

THROTTLE = 2
SESSION_TIMEOUT = 4


@pytest.fixture
def sim(monkeypatch):
    sim = host_fleet.make(monkeypatch, failover_seconds=1.5,
                          server_delete_seconds=1.5)
    yield sim
    sim.cleanUp()


@pytest.fixture
def cloud(sim):
    observer = host_fleet.Observer(sim)
    yield observer
    observer.close()


@pytest.fixture
def cluster(zk, sim, config, tmp_path):
    """A board-mode JobService and two conductors: (service, conductors)."""
    groups = host_fleet.groups(sim, conftest.board_groups(
        zk, tmp_path, THROTTLE, session_timeout=SESSION_TIMEOUT))
    with conftest.board_cluster(sim, config, tmp_path, groups) as (
            service, start):
        yield service, start(2)


def campaign_owner(service, job_id, conductors):
    """The conductor process that holds the campaign job."""
    owner = sim_fixture.wait_until(
        lambda: service.view(job_id)['conductor'], timeout=30)
    return next(c for c in conductors
                if 'Conductor %s started' % owner in c.log())


def test_cleanup_node_survives_kill_9(sim, cloud, cluster):
    service, conductors = cluster
    orphans = cloud.orphans()
    tenants = cloud.tenant_vms()
    job_id = service.post(constants.CLEANUP_NODE,
                          {'host': host_fleet.ORPHAN_HOST, 'yes': True})
    sim_fixture.wait_until(lambda: sim.stats()['server_deletes_by_id'],
                           timeout=60)
    campaign_owner(service, job_id, conductors).kill()
    view = conftest.wait_done(service, job_id)
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert sim.stats()['server_deletes_by_id'] == dict.fromkeys(orphans, 1)
    left = cloud.servers()
    assert set(tenants) <= set(left)
    assert not set(orphans) & set(left)


def test_evacuate_host_survives_kill_9(sim, cloud, cluster):
    service, conductors = cluster
    host = cloud.busiest_host()
    amphorae = cloud.amphorae_on(host)
    job_id = service.post(constants.EVACUATE_HOST, {'host': host})
    sim_fixture.wait_until(lambda: sim.stats()['amphora_failovers_by_id'],
                           timeout=60)
    campaign_owner(service, job_id, conductors).kill()
    view = conftest.wait_done(service, job_id)
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert cloud.amphorae_on(host) == []
    stats = sim.stats()
    assert stats['amphora_failovers_by_id'] == dict.fromkeys(amphorae, 1)
    assert stats['peak_concurrent_failovers'] <= THROTTLE
    assert stats['service_disables_by_host'] == {host: 1}
    assert stats['service_enables_by_host'] == {}
    assert job_id in cloud.host_status(host)['disabled_reason']
