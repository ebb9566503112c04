"""repair tasks: what the plan selects, and each failover issued once.

Against the fake of our cloud facade; every ``execute`` that acts is run
twice, as after a crash, and must act once.
"""

import pytest

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.tasks import amphora_tasks
from octavia_maint.tasks import load_balancer_tasks
from octavia_maint.tasks import repair_tasks

RUN, SKIP = constants.PLAN_RUN, constants.PLAN_SKIP


def amphorae_of(cloud, lb_id):
    return {a['role']: a for a in cloud.amphorae.values()
            if a['loadbalancer_id'] == lb_id}


def break_amphora(cloud, lb_id, role):
    amphora = amphorae_of(cloud, lb_id)[role]
    amphora['status'] = constants.ERROR
    return amphora['id']


@pytest.fixture
def fleet(host_cloud):
    """Every case the plan tells apart, one load balancer each."""
    c = host_cloud
    c.add_lb_on_hosts('lb-healthy', ['h1', 'h2'])
    c.add_lb_on_hosts('lb-error', ['h1'], status=constants.ERROR)
    c.add_lb_on_hosts('lb-error-amp', ['h1', 'h2'], status=constants.ERROR)
    break_amphora(c, 'lb-error-amp', 'MASTER')
    c.add_lb_on_hosts('lb-backup', ['h1', 'h2'])
    break_amphora(c, 'lb-backup', 'BACKUP')
    c.add_lb_on_hosts('lb-both', ['h1', 'h2'])
    break_amphora(c, 'lb-both', 'BACKUP')
    break_amphora(c, 'lb-both', 'MASTER')
    c.add_lb_on_hosts('lb-single', ['h2'])
    break_amphora(c, 'lb-single', 'STANDALONE')
    c.add_lb_on_hosts('lb-busy', ['h1'], status=constants.PENDING_UPDATE)
    break_amphora(c, 'lb-busy', 'STANDALONE')
    c.add_lb('lb-ovn', status=constants.ERROR, amps=0, provider='ovn')
    c.amphorae['amp-spare'] = {'id': 'amp-spare', 'loadbalancer_id': None,
                               'role': None, 'status': constants.ERROR}
    c.lbs['lb-other'] = dict(c.lbs['lb-error'], id='lb-other',
                             project_id='p2')
    return c


def select(project_id=None, load_balancer_ids=()):
    plan = repair_tasks.SelectLoadBalancersToRepair().execute(
        project_id, list(load_balancer_ids))
    return {t['id']: (t['action'], t['reason']) for t in plan}, plan


def test_plan_selects_what_is_in_error_and_says_how(fleet):
    rows, plan = select()
    backup = amphorae_of(fleet, 'lb-backup')['BACKUP']['id']
    assert rows['lb-error'] == (RUN, 'load balancer failover: in ERROR')
    assert rows['lb-error-amp'][0] == RUN
    assert rows['lb-error-amp'][1].startswith(
        'load balancer failover: in ERROR (amphorae in ERROR: MASTER ')
    assert rows['lb-backup'] == (
        RUN, 'amphora failover: ACTIVE, amphorae in ERROR: BACKUP %s'
        % backup)
    assert rows['lb-both'][1].startswith(
        'load balancer failover: ACTIVE, every amphora in ERROR: BACKUP ')
    assert rows['lb-single'][1].startswith('load balancer failover: ')
    assert rows['lb-busy'][0] == SKIP and 'PENDING_UPDATE' in \
        rows['lb-busy'][1]
    assert rows['lb-ovn'] == (SKIP, 'in ERROR, but provider ovn has no '
                                    'amphorae for Octavia to fail over')
    assert rows['amp-spare'][0] == SKIP and 'spare' in rows['amp-spare'][1]
    assert 'lb-healthy' not in rows
    # Targets to run first; read-only, so the same plan again.
    actions = [t['action'] for t in plan]
    assert actions == sorted(actions, key=lambda a: a != RUN)
    assert select()[1] == plan


def test_plan_narrowed_by_project_or_load_balancer(fleet):
    rows, _ = select(project_id='p2')
    assert rows == {'lb-other': (RUN, 'load balancer failover: in ERROR')}
    rows, _ = select(load_balancer_ids=['lb-backup', 'lb-healthy'])
    assert rows['lb-backup'][0] == RUN
    assert rows['lb-healthy'] == (
        SKIP, 'provisioning status ACTIVE, no amphora in ERROR')
    assert set(rows) == {'lb-backup', 'lb-healthy'}


def snapshot(lb_id):
    return load_balancer_tasks.SnapshotLoadBalancer().execute(lb_id)


def repair(lb_id, snap):
    return repair_tasks.RepairLoadBalancer().execute(
        'campaign-1', lb_id, snap)


def verify(lb_id, outcome):
    return repair_tasks.VerifyLoadBalancerRepaired().execute(lb_id, outcome)


def test_error_lb_is_failed_over_once_not_per_amphora(fleet):
    snap = snapshot('lb-error-amp')
    first = repair('lb-error-amp', snap)
    again = repair('lb-error-amp', snap)     # re-run, as after a crash
    assert first['action'] == again['action'] == 'failed_over'
    assert fleet.failovers == ['lb-error-amp']
    assert fleet.amphora_failovers == []
    assert verify('lb-error-amp', first)['outcome'] == 'succeeded'


def test_amphora_in_error_of_active_lb_gets_an_amphora_failover(fleet):
    amphorae = amphorae_of(fleet, 'lb-backup')
    snap = snapshot('lb-backup')
    assert snap['error_amphora_ids'] == [amphorae['BACKUP']['id']]
    outcome = repair('lb-backup', snap)
    assert outcome == {'action': 'failed_over', 'reason':
                       'amphora failover of %s' % amphorae['BACKUP']['id']}
    assert repair('lb-backup', snap)['action'] == 'failed_over'
    assert fleet.amphora_failovers == [amphorae['BACKUP']['id']]
    assert fleet.failovers == []
    # The healthy master was not touched.
    assert amphorae_of(fleet, 'lb-backup')['MASTER'] == amphorae['MASTER']
    assert verify('lb-backup', outcome)['outcome'] == 'succeeded'


def test_every_amphora_in_error_is_one_lb_failover(fleet):
    snap = snapshot('lb-both')
    repair('lb-both', snap)
    repair('lb-both', snap)
    assert fleet.failovers == ['lb-both'] and fleet.amphora_failovers == []


def test_failover_in_flight_after_crash_is_waited_for(fleet):
    snap = snapshot('lb-error')
    fleet.failover_load_balancer('lb-error')  # issued, then kill -9
    assert repair('lb-error', snap)['action'] == 'failed_over'
    assert fleet.failovers == ['lb-error']


def test_error_again_after_a_failover_is_never_failed_over_twice(fleet):
    snap = snapshot('lb-error')
    # Our failover ran and failed before the crash: ERROR again, changed.
    fleet.lbs['lb-error']['updated_at'] = '2026-12-02T18:00:00'
    with pytest.raises(exceptions.FailoverFailed, match='second time'):
        repair('lb-error', snap)
    assert fleet.failovers == []


def test_repaired_meanwhile_or_deleted_is_skipped(fleet):
    snap = snapshot('lb-backup')
    for amphora in amphorae_of(fleet, 'lb-backup').values():
        amphora['status'] = 'ALLOCATED'
    outcome = repair('lb-backup', snap)
    assert outcome['action'] == constants.OUTCOME_SKIPPED
    assert verify('lb-backup', outcome)['outcome'] == 'skipped'
    fleet.delete_lb('lb-error')
    assert repair('lb-error', snapshot('lb-error'))['action'] == 'skipped'
    assert fleet.failovers == fleet.amphora_failovers == []


def test_verify_fails_while_an_amphora_is_still_in_error(fleet):
    with pytest.raises(exceptions.VerificationFailed, match='in ERROR'):
        verify('lb-backup', {'action': 'failed_over', 'reason': 'x'})


def test_failover_stopped_amphorae_are_repaired_like_those_in_error():
    amps = [{'id': 'a1', 'role': 'MASTER', 'status': 'ALLOCATED'},
            {'id': 'a2', 'role': 'BACKUP', 'status': 'FAILOVER_STOPPED'}]
    assert [a['id'] for a in amphora_tasks.in_error(amps)] == ['a2']
