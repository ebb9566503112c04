"""cleanup-node and evacuate-host in local mode, against the simulator.

The real openstacksdk, TaskFlow and SQLite. The simulator's counters say
what the cloud saw: deletes per server, failovers per amphora, disables
and enables per host; its servers say what is left.
"""

import os
import subprocess
import sys
import threading

import pytest

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from tests.fixtures import simulator as sim_fixture
from tests.functional.engine import conftest
from tests.functional.engine import harness
from tests.functional.engine import host_fleet
from tests.functional.engine import test_local_mode

THROTTLE = 2


@pytest.fixture
def sim(monkeypatch):
    sim = host_fleet.make(monkeypatch, failover_seconds=0.4)
    yield sim
    sim.cleanUp()


@pytest.fixture
def cloud(sim):
    observer = host_fleet.Observer(sim)
    yield observer
    observer.close()


@pytest.fixture
def local_groups(sim, tmp_path):
    return host_fleet.groups(sim, conftest.local_groups(
        tmp_path, max_concurrent_failovers=THROTTLE))


@pytest.fixture
def service(config, local_groups):
    service = conftest.service_for(config, local_groups)
    yield service
    service.close()


def run(service, job_id):
    service.local_runner().run(job_id)
    return service.show(job_id)


def crash_and_resume(sim, service, local_groups, tmp_path, job_id,
                     started):
    """Run the job in a process, kill -9 it once ``started()``, resume."""
    config_file = harness.write_config(tmp_path / 'local.conf',
                                       **local_groups)
    crashing = subprocess.Popen(
        [sys.executable, '-c', test_local_mode.RUN_LOCALLY, config_file,
         job_id],
        env=dict(os.environ, OS_CLIENT_CONFIG_FILE=sim.clouds_yaml_path))
    try:
        sim_fixture.wait_until(started, timeout=60)
    finally:
        crashing.kill()
        crashing.wait()
    assert service.show(job_id)['state'] == constants.JOB_INTERRUPTED
    service.resume(job_id)
    return run(service, job_id)


# -- cleanup-node ---------------------------------------------------------

def test_cleanup_node_deletes_only_orphans(sim, service, cloud):
    host = host_fleet.ORPHAN_HOST
    orphans = cloud.orphans()
    tenants = cloud.tenant_vms()
    live_on_host = cloud.amphorae_on(host)
    assert len(orphans) == host_fleet.ORPHANS and live_on_host
    assert any(v[0] == host for v in tenants.values())

    plan = service.plan(constants.CLEANUP_NODE, {'host': host})
    assert sorted(t['id'] for t in plan['targets']
                  if t['action'] == constants.PLAN_RUN) == orphans
    with pytest.raises(exceptions.InvalidInput, match='only with --yes'):
        service.post(constants.CLEANUP_NODE, {'host': host})
    assert service.list() == []

    view = run(service, service.post(constants.CLEANUP_NODE,
                                     {'host': host, 'yes': True}))
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert view['counts'][constants.OUTCOME_SUCCEEDED] == len(orphans)
    assert sim.stats()['server_deletes_by_id'] == dict.fromkeys(orphans, 1)
    left = cloud.servers()
    assert set(tenants) <= set(left)               # tenant VMs untouched
    assert cloud.amphorae_on(host) == live_on_host
    assert not set(orphans) & set(left)

    again = service.plan(constants.CLEANUP_NODE, {'host': host})
    assert again['to_run'] == 0


def test_cleanup_node_crash_resumes_without_repeating(sim, cloud, service,
                                                      local_groups,
                                                      tmp_path):
    sim.set_transitions(server_delete={'seconds': 2})
    orphans = cloud.orphans()
    job_id = service.post(constants.CLEANUP_NODE,
                          {'host': host_fleet.ORPHAN_HOST, 'yes': True})
    view = crash_and_resume(
        sim, service, local_groups, tmp_path, job_id,
        lambda: sim.stats()['server_deletes_by_id'])
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert sim.stats()['server_deletes_by_id'] == dict.fromkeys(orphans, 1)
    assert cloud.orphans() == []


# -- evacuate-host ----------------------------------------------------------

def assert_evacuated_once(sim, cloud, host, amphorae, view, crashed=False):
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert cloud.amphorae_on(host) == []
    stats = sim.stats()
    assert stats['amphora_failovers_by_id'] == dict.fromkeys(amphorae, 1)
    if not crashed:
        # A killed local process's failovers go on in the cloud, unknown
        # to the resumed process's throttle: the peak may exceed it then.
        assert stats['peak_concurrent_failovers'] <= THROTTLE
    assert stats['service_disables_by_host'] == {host: 1}
    assert stats['service_enables_by_host'] == {}
    status = cloud.host_status(host)
    assert status['status'] == 'disabled'
    assert view['id'] in status['disabled_reason']


def test_evacuate_host_moves_every_amphora(sim, service, cloud):
    host = cloud.busiest_host()
    amphorae = cloud.amphorae_on(host)
    plan = service.plan(constants.EVACUATE_HOST, {'host': host})
    assert plan['to_run'] == len({a['loadbalancer_id']
                                  for a in cloud.amphorae()
                                  if a['id'] in amphorae})
    assert cloud.host_status(host)['status'] == 'enabled'
    view = run(service, service.post(constants.EVACUATE_HOST,
                                     {'host': host}))
    assert_evacuated_once(sim, cloud, host, amphorae, view)
    assert sim.stats()['failovers_total'] == len(amphorae)


def test_evacuate_host_crash_resumes_without_repeating(sim, cloud, service,
                                                       local_groups,
                                                       tmp_path):
    sim.set_transitions(failover={'seconds': 1.5})
    host = cloud.busiest_host()
    amphorae = cloud.amphorae_on(host)
    job_id = service.post(constants.EVACUATE_HOST, {'host': host})
    view = crash_and_resume(
        sim, service, local_groups, tmp_path, job_id,
        lambda: sim.stats()['amphora_failovers_by_id'])
    assert_evacuated_once(sim, cloud, host, amphorae, view, crashed=True)


def test_cancel_re_enables_the_host(sim, service, cloud):
    sim.set_transitions(failover={'seconds': 2})
    host = cloud.busiest_host()
    job_id = service.post(constants.EVACUATE_HOST, {'host': host})
    worker = threading.Thread(target=service.local_runner().run,
                              args=(job_id,))
    worker.start()
    sim_fixture.wait_until(lambda: sim.stats()['amphora_failovers_by_id'],
                           timeout=30)
    service.cancel(job_id)
    worker.join(60)
    assert service.show(job_id)['state'] == constants.JOB_CANCELLED
    # Children see the cancel at their next step and revert too.
    sim_fixture.wait_until(lambda: all(
        v['state'] not in constants.ACTIVE_JOB_STATES
        for v in service.list(include_children=True)), timeout=30)
    assert cloud.host_status(host) == {'status': 'enabled',
                                                 'disabled_reason': None}
    assert sim.stats()['service_enables_by_host'] == {host: 1}


def test_amphora_left_on_the_host_fails_keeps_it_disabled_cancel_enables(
        monkeypatch, config, tmp_path):
    sim = host_fleet.make(monkeypatch, failover_seconds=0.4, error_lbs=1)
    cloud = host_fleet.Observer(sim)
    service = conftest.service_for(config, host_fleet.groups(
        sim, conftest.local_groups(tmp_path)))
    try:
        error_lb = next(lb for lb, status in cloud.load_balancers().items()
                        if status == 'ERROR')
        amphora = next(a for a in cloud.amphorae()
                       if a['loadbalancer_id'] == error_lb)
        host = cloud.servers()[amphora['compute_id']][0]
        job_id = service.post(constants.EVACUATE_HOST, {'host': host})
        view = run(service, job_id)
        assert view['state'] == constants.JOB_FAILED
        assert 'still on host %s' % host in view['reason']
        assert cloud.amphorae_on(host) == [amphora['id']]
        # A failed job keeps what it did (issue 9, item 3): no
        # replacement amphora may land on the host meanwhile.
        assert cloud.host_status(host)['status'] == 'disabled'
        assert 'stays disabled' in view['next_steps']
        service.cancel(job_id)
        view = run(service, job_id)
        assert view['state'] == constants.JOB_CANCELLED
        assert cloud.host_status(host)['status'] == 'enabled'
    finally:
        cloud.close()
        service.close()
        sim.cleanUp()
