"""evacuate-host's service tasks: run twice, revert only what the job did."""

from taskflow.types import failure

from octavia_maint.tasks import compute_service_tasks as cst

HOST = 'compute-1'
PLAN = [{'id': 'lb-1', 'action': 'run'}, {'id': 'lb-2', 'action': 'skip'}]


def disable(plan=PLAN):
    return cst.DisableComputeService().execute('job-1', HOST, plan)


def test_disable_once_even_when_executed_twice(host_cloud):
    host_cloud.add_host(HOST)
    first = disable()
    assert first['disabled_by_job'] and first['previous_status'] == 'enabled'
    again = disable()
    assert again['disabled_by_job']
    assert host_cloud.services[HOST]['disabled_reason'] == (
        'octavia-maint evacuate-host job job-1')
    assert host_cloud.service_changes == [('disable', HOST)]
    cst.DisableComputeService().revert(again, 'job-1', HOST, PLAN)
    assert host_cloud.services[HOST]['status'] == 'enabled'
    assert host_cloud.service_changes == [('disable', HOST),
                                          ('enable', HOST)]


def test_a_host_the_operator_disabled_stays_disabled(host_cloud):
    host_cloud.add_host(HOST, status='disabled', reason='broken disk')
    result = disable()
    assert not result['disabled_by_job']
    cst.DisableComputeService().revert(result, 'job-1', HOST, PLAN)
    assert host_cloud.services[HOST] == {
        **host_cloud.services[HOST], 'status': 'disabled',
        'disabled_reason': 'broken disk'}
    assert host_cloud.service_changes == []


def test_revert_after_a_failed_execute_looks_at_the_reason(host_cloud):
    host_cloud.add_host(HOST)
    disable()                        # applied, but the answer was lost
    try:
        raise RuntimeError('connection dropped')
    except RuntimeError:
        lost = failure.Failure()
    cst.DisableComputeService().revert(lost, 'job-1', HOST, PLAN)
    assert host_cloud.services[HOST]['status'] == 'enabled'
    # Another job's revert leaves this job's disable alone.
    disable()
    cst.DisableComputeService().revert(lost, 'job-2', HOST, PLAN)
    assert host_cloud.services[HOST]['status'] == 'disabled'


def test_find_service_changes_nothing(host_cloud):
    host_cloud.add_host(HOST)
    found = cst.FindComputeService().execute(HOST)
    assert found['id'] == 'svc-' + HOST and not found['disabled_by_job']
    assert host_cloud.service_changes == []


def test_nothing_to_move_never_disables_the_host(host_cloud):
    host_cloud.add_host(HOST)
    for _ in range(2):
        result = disable(plan=[{'id': 'amp-1', 'action': 'skip'}])
        assert not result['disabled_by_job']
    cst.DisableComputeService().revert(result, 'job-1', HOST, [])
    assert host_cloud.services[HOST]['status'] == 'enabled'
    assert host_cloud.service_changes == []
