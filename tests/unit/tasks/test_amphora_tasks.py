"""evacuate-host's amphora tasks: run twice, never both of a pair at once."""

import pytest

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.tasks import amphora_tasks as at
from octavia_maint.tasks import load_balancer_tasks as lbt

HOST = 'compute-1'


def evacuate(lb_id, snapshot=None):
    snapshot = snapshot or lbt.SnapshotLoadBalancer().execute(lb_id)
    return at.FailoverAmphoraeOnHost().execute('campaign-1', lb_id, HOST,
                                               snapshot)


def test_plan_groups_amphorae_by_load_balancer(host_cloud):
    host_cloud.add_lb_on_hosts('lb-pair', [HOST, 'compute-2'])
    host_cloud.add_lb_on_hosts('lb-single', [HOST])
    host_cloud.add_lb_on_hosts('lb-error', [HOST], status='ERROR')
    host_cloud.add_lb_on_hosts('lb-away', ['compute-2'])
    plan = {t['id']: t for t in at.SelectAmphoraeOnHost().execute(HOST)}
    assert set(plan) == {'lb-pair', 'lb-single', 'lb-error'}
    assert plan['lb-pair']['action'] == constants.PLAN_RUN
    assert plan['lb-error']['action'] == constants.PLAN_SKIP
    assert 'in ERROR' in plan['lb-error']['reason']


def test_a_host_nova_lost_track_of_is_doubted(host_cloud):
    host_cloud.add_lb_on_hosts('lb-1', [HOST])
    host_cloud.add_lb_on_hosts('lb-2', ['compute-2'])
    assert at.lost_track(host_cloud, HOST) is None
    assert at.lost_track(host_cloud, 'compute-3') is None
    # Nova forgets the server of lb-1's amphora.
    [amphora_id] = host_cloud.amphorae_on(HOST)
    del host_cloud.servers[host_cloud.amphorae[amphora_id]['compute_id']]
    assert at.lost_track(host_cloud, 'compute-2') is None
    doubt = at.lost_track(host_cloud, HOST)
    assert 'Nova lists no amphora on host %s' % HOST in doubt
    assert amphora_id in doubt
    plan = at.SelectAmphoraeOnHost().execute(HOST)
    assert [(t['id'], t['action']) for t in plan] == [
        (amphora_id, constants.PLAN_SKIP)]
    assert 'Nova does not know its server' in plan[0]['reason']


def test_failover_runs_once_even_when_executed_twice(host_cloud):
    host_cloud.add_lb_on_hosts('lb-1', [HOST, 'compute-2'])
    on_host = host_cloud.amphorae_on(HOST)
    first = evacuate('lb-1')
    assert first['action'] == 'failed_over'
    assert first['amphora_ids'] == on_host
    assert evacuate('lb-1')['action'] == constants.OUTCOME_SKIPPED
    assert host_cloud.amphora_failovers == on_host
    assert host_cloud.amphorae_on(HOST) == []


def test_both_amphorae_on_the_host_fail_over_one_after_the_other(
        host_cloud):
    host_cloud.add_lb_on_hosts('lb-1', [HOST, HOST])
    roles = {a['id']: a['role'] for a in host_cloud.amphorae.values()}
    result = evacuate('lb-1')
    # The fake answers 409 to a failover while the LB is PENDING_UPDATE,
    # so two in flight at once would have failed the task.
    assert [roles[a] for a in host_cloud.amphora_failovers] == [
        'BACKUP', 'MASTER']
    assert result['amphora_ids'] == host_cloud.amphora_failovers
    assert host_cloud.amphorae_on(HOST) == []


def test_failover_in_flight_after_crash_is_waited_for(host_cloud):
    host_cloud.add_lb_on_hosts('lb-1', [HOST])
    amp, = host_cloud.amphorae_on(HOST)
    host_cloud.failover_amphora(amp)   # issued, then the conductor died
    result = evacuate('lb-1')
    assert result['action'] == 'failed_over'
    assert host_cloud.amphora_failovers == [amp]


def test_busy_load_balancer_is_waited_for_and_retried(host_cloud):
    host_cloud.add_lb_on_hosts('lb-1', [HOST])
    host_cloud.busy_answers = 2
    assert evacuate('lb-1')['action'] == 'failed_over'
    assert len(host_cloud.amphora_failovers) == 1


def test_busy_for_too_long_fails(host_cloud, config):
    config.config(failover_timeout=1, group='throttle')
    host_cloud.add_lb_on_hosts('lb-1', [HOST])
    host_cloud.busy_answers = 10 ** 6
    clock = iter(range(0, 10 ** 6, 5))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr('octavia_maint.tasks.failover.time.monotonic',
                      lambda: next(clock))
        with pytest.raises(exceptions.FailoverFailed, match='stayed busy'):
            evacuate('lb-1')
    assert host_cloud.amphora_failovers == []


def test_verify_and_the_final_check(host_cloud):
    host_cloud.add_lb_on_hosts('lb-1', [HOST])
    host_cloud.add_lb_on_hosts('lb-2', [HOST])
    moved = evacuate('lb-1')
    verify = at.VerifyAmphoraeOffHost()
    assert verify.execute('lb-1', HOST, moved)['outcome'] == (
        constants.OUTCOME_SUCCEEDED)
    with pytest.raises(exceptions.VerificationFailed):
        verify.execute('lb-2', HOST, moved)
    with pytest.raises(exceptions.HostNotEvacuated, match='lb-2'):
        at.CheckHostEvacuated().execute(HOST)
    evacuate('lb-2')
    assert at.CheckHostEvacuated().execute(HOST) is None
