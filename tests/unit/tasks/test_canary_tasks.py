"""Canary waves: which load balancers go first, and what a failed or
sick canary makes the campaign do (task fakes, a local job context)."""

import pytest

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.tasks import canary_tasks
from tests.unit.tasks import fakes

SINGLE, PAIR = constants.SINGLE, constants.ACTIVE_STANDBY


def row(lb_id, project='p1', topology=SINGLE, action=constants.PLAN_RUN):
    return {'id': lb_id, 'project_id': project, 'topology': topology,
            'action': action, 'reason': ''}


def ids(rows):
    return [r['id'] for r in rows]


@pytest.mark.parametrize('plan, count, expected', [
    # Both topologies first, then other projects, then plan order.
    ([row('a'), row('b'), row('c', topology=PAIR), row('d', 'p2')], 3,
     ['a', 'c', 'd']),
    ([row('a'), row('b'), row('c', 'p2'), row('d', 'p2', PAIR)], 2,
     ['a', 'd']),
    ([row('a'), row('b', 'p2'), row('c', 'p3'), row('d', 'p4')], 3,
     ['a', 'b', 'c']),
    # One kind, one project: simply the first ones.
    ([row('a'), row('b'), row('c')], 2, ['a', 'b']),
    # Skipped targets are never canaries; fewer than asked is all there is.
    ([row('a', action=constants.PLAN_SKIP), row('b'), row('c')], 5,
     ['b', 'c']),
    ([], 3, []),
    # Plan rows without a topology (another procedure's) still work.
    ([{'id': 'a', 'action': constants.PLAN_RUN},
      {'id': 'b', 'action': constants.PLAN_RUN}], 1, ['a']),
])
def test_choose_canaries(plan, count, expected):
    assert ids(canary_tasks.choose_canaries(plan, count)) == expected


def test_the_choice_is_stable():
    plan = [row('lb-%02d' % i, 'p%d' % (i % 3), (SINGLE, PAIR)[i % 2])
            for i in range(20)]
    first = canary_tasks.choose_canaries(plan, 4)
    assert first == canary_tasks.choose_canaries(list(plan), 4)
    assert {r['topology'] for r in first} == {SINGLE, PAIR}
    assert {r['project_id'] for r in first} == {'p0', 'p1', 'p2'}


@pytest.fixture
def cloud():
    fake = fakes.FakeCloud()
    for lb_id in ('lb-1', 'lb-2', 'lb-3'):
        fake.add_lb(lb_id)
    with fakes.in_job(fake):
        yield fake


class Action:
    """A breaker action that notes its calls."""

    def __init__(self):
        self.calls = []

    def __call__(self, cloud, job_id, child_inputs):
        self.calls.append((job_id, child_inputs))
        return 'image untagged'


def result(lb_id, outcome, reason=''):
    return {'child-' + lb_id: {'target': lb_id, 'outcome': outcome,
                               'reason': reason}}


def check(action, results):
    return canary_tasks.CheckCanaries(
        subject=lambda inputs: 'on image %s' % inputs['target_image'],
        breaker_action=action).execute('job-1', results,
                                       target_image='img-new')


def test_healthy_canaries_reach_the_gate(cloud):
    action = Action()
    trees, summary = check(action, {
        **result('lb-1', constants.OUTCOME_SUCCEEDED),
        **result('lb-2', constants.OUTCOME_SUCCEEDED),
        **result('lb-3', constants.OUTCOME_SKIPPED, 'already on it')})
    assert sorted(trees) == ['lb-1', 'lb-2']
    assert summary.startswith('2 canaries healthy on image img-new '
                              '(lb-1, lb-2)')
    assert '"octavia-maint job continue job-1" to roll out the rest' in (
        summary)
    assert action.calls == []


def test_a_failed_canary_fails_the_campaign_and_runs_the_action(cloud):
    action = Action()
    with pytest.raises(exceptions.CanariesFailed) as raised:
        check(action, {
            **result('lb-1', constants.OUTCOME_SUCCEEDED),
            **result('lb-2', constants.OUTCOME_FAILED,
                     'listener http went from ONLINE to ERROR after '
                     'failover')})
    text = str(raised.value)
    assert text.startswith('1 of 2 canaries failed, so no other load '
                           'balancer was touched')
    assert 'lb-2: listener http went from ONLINE to ERROR' in text
    assert action.calls == [('job-1', {'target_image': 'img-new'})]


def soak(trees, seconds, action=None):
    canary_tasks.SoakCanaries(breaker_action=action).execute(
        'job-1', trees, seconds, target_image='img-new')


def test_canaries_that_keep_serving_pass_the_soak(cloud):
    trees = {lb: cloud.get_load_balancer_status_tree(lb)
             for lb in ('lb-1', 'lb-2')}
    soak(trees, 0)
    soak(trees, 0.05)


def test_a_canary_that_stops_serving_fails_the_soak(cloud):
    trees = {lb: cloud.get_load_balancer_status_tree(lb)
             for lb in ('lb-1', 'lb-2')}
    cloud.listener_statuses['lb-2'] = 'ERROR'
    action = Action()
    with pytest.raises(exceptions.CanariesFailed,
                       match='lb-2: listener lb-2-listener went from ONLINE '
                             'to ERROR after the soak'):
        soak(trees, 60, action)
    assert len(action.calls) == 1
