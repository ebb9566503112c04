"""cleanup-node tasks: each execute is run twice, as after a crash."""

from octavia_maint.common import constants
from octavia_maint.tasks import server_tasks as st

HOST = 'compute-1'


def plan_by_name(cloud):
    return {t['name']: t for t in
            st.SelectOrphanAmphoraServers().execute(HOST)}


def test_only_orphan_amphora_vms_are_planned(host_cloud):
    host_cloud.add_lb_on_hosts('lb-1', [HOST, 'compute-2'])
    host_cloud.add_server(HOST, 'amphora-orphan')
    host_cloud.add_server(HOST, 'amphora-booting', status='BUILD')
    host_cloud.add_server(HOST, 'tenant-vm', project_id='tenant')
    host_cloud.add_server(HOST, 'amphora-lookalike', project_id='tenant')
    host_cloud.add_server(HOST, 'not-named-amphora')
    host_cloud.add_server('compute-2', 'amphora-elsewhere')
    # Octavia created the amphora record before it knew the server's id.
    amp = next(iter(host_cloud.amphorae.values()))
    host_cloud.add_server(HOST, 'amphora-' + amp['id'])
    host_cloud.amphorae[amp['id']]['compute_id'] = None

    plan = plan_by_name(host_cloud)
    assert plan == plan_by_name(host_cloud)
    run = [n for n, t in plan.items() if t['action'] == constants.PLAN_RUN]
    assert run == ['amphora-orphan']
    assert 'amphora-elsewhere' not in plan
    assert 'still building' in plan['amphora-booting']['reason']
    assert 'project tenant' in plan['tenant-vm']['reason']
    assert 'project tenant' in plan['amphora-lookalike']['reason']
    assert 'name' in plan['not-named-amphora']['reason']
    assert 'of load balancer lb-1' in plan['amphora-' + amp['id']]['reason']
    assert list(plan)[0] == 'amphora-orphan'   # targets first


def test_delete_runs_once_even_when_executed_twice(host_cloud):
    orphan = host_cloud.add_server(HOST, 'amphora-orphan')
    delete = st.DeleteOrphanServer()
    assert delete.execute(orphan, HOST)['action'] == constants.ACTION_DELETING
    # A crash before the result was saved: Nova is deleting it already.
    assert delete.execute(orphan, HOST)['action'] == constants.ACTION_DELETING
    wait = st.WaitForServerDeleted()
    outcome = wait.execute(orphan, {'action': constants.ACTION_DELETING,
                                    'reason': 'x'})
    assert outcome['outcome'] == constants.OUTCOME_SUCCEEDED
    assert wait.execute(orphan, {'action': constants.ACTION_DELETING,
                                 'reason': 'x'}) == outcome
    assert delete.execute(orphan, HOST)['action'] == constants.ACTION_DELETED
    assert host_cloud.deletes == [orphan]


def test_server_that_became_an_amphora_is_not_deleted(host_cloud):
    server = host_cloud.add_server(HOST, 'amphora-adopted')
    host_cloud.amphorae['amp-new'] = {
        'id': 'amp-new', 'loadbalancer_id': 'lb-9', 'compute_id': server,
        'status': 'ALLOCATED'}
    result = st.DeleteOrphanServer().execute(server, HOST)
    assert result['action'] == constants.OUTCOME_SKIPPED
    outcome = st.WaitForServerDeleted().execute(server, result)
    assert outcome['outcome'] == constants.OUTCOME_SKIPPED
    assert host_cloud.deletes == []


def test_tenant_vm_is_never_deleted_even_if_targeted(host_cloud):
    vm = host_cloud.add_server(HOST, 'amphora-ish', project_id='tenant')
    result = st.DeleteOrphanServer().execute(vm, HOST)
    assert result['action'] == constants.OUTCOME_SKIPPED
    assert host_cloud.deletes == []


def test_server_moved_to_another_host_is_not_deleted(host_cloud):
    orphan = host_cloud.add_server('compute-2', 'amphora-moved')
    result = st.DeleteOrphanServer().execute(orphan, HOST)
    assert 'now on host compute-2' in result['reason']
    assert host_cloud.deletes == []
