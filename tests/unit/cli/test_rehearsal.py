"""The rehearsal's own arithmetic and warnings, on hand-made snapshots."""

from octavia_maint.cli import rehearsal
from octavia_maint.common import constants
from octavia_maint.flows import registry


def lb(lb_id, status='ACTIVE', provider='amphora', project='p1'):
    return {'id': lb_id, 'name': 'lb-' + lb_id, 'project_id': project,
            'provisioning_status': status, 'provider': provider}


SNAPSHOT = {
    'load_balancers': [lb('a'), lb('b'), lb('c', status='ERROR'),
                       lb('d', provider='ovn')],
    'amphorae': [{'loadbalancer_id': 'a', 'compute_id': 's1'},
                 {'loadbalancer_id': 'a', 'compute_id': 's2'},
                 {'loadbalancer_id': 'b', 'compute_id': 's3'},
                 {'loadbalancer_id': 'b', 'compute_id': 's4'}],
    'servers': [{'id': 's1', 'host': 'h1'}, {'id': 's2', 'host': 'h1'},
                {'id': 's3', 'host': 'h1'}, {'id': 's4', 'host': 'h2'}],
}


def test_rotation_warns_of_error_and_other_providers():
    found = rehearsal.warnings(
        registry.get(constants.ROTATE_IMAGE),
        {'include_error': False, 'project_id': None,
         'load_balancer_ids': []}, SNAPSHOT)
    assert len(found) == 2
    assert found[0].startswith('1 load balancers in ERROR are left out '
                               '(lb-c)')
    assert found[1] == ('1 load balancers of provider ovn have no amphorae '
                        'and are skipped')


def test_include_error_and_a_scope_leave_those_out():
    assert rehearsal.warnings(
        registry.get(constants.ROTATE_IMAGE),
        {'include_error': True, 'project_id': None,
         'load_balancer_ids': ['a']}, SNAPSHOT) == []


def test_evacuation_warns_of_a_pair_on_one_host():
    found = rehearsal.warnings(registry.get(constants.EVACUATE_HOST),
                               {'host': 'h1'}, SNAPSHOT)
    assert len(found) == 1
    assert 'both amphorae on host h1 (lb-a)' in found[0]
    assert rehearsal.warnings(registry.get(constants.EVACUATE_HOST),
                              {'host': 'h2'}, SNAPSHOT) == []


def test_busy_load_balancers_are_named():
    snapshot = dict(SNAPSHOT, load_balancers=[lb('e', 'PENDING_UPDATE')])
    found = rehearsal.warnings(registry.get(constants.EVACUATE_HOST),
                               {'host': 'h2'}, snapshot)
    assert found == ['1 load balancers were PENDING_* when the snapshot was '
                     'taken (lb-e): the rehearsal saw them stay so, a real '
                     'run waits for them']


def test_failovers_count_in_rounds_of_the_peak_concurrency():
    # 10 s of work; failovers issued at 2, 3 and 5 s, each 40 simulated
    # seconds (1 s here at scale 40): 4 s of failovers, 6 s of the tool;
    # two slots make two rounds of 40 s.
    assert rehearsal._real_seconds(0, 10, [2, 3, 5], 40, 40, 2) == 6 + 80
    assert rehearsal._real_seconds(0, 10, [2, 3, 5], 40, 40, 3) == 6 + 40
    assert rehearsal._real_seconds(0, 10, [], 40, 40, 2) == 10
    # A failover still running at the end counts to the end.
    assert rehearsal._real_seconds(0, 10, [9.5], 40, 40, 1) == 9.5 + 40


def test_without_history_the_failover_duration_is_the_configured_one(
        config, tmp_path, monkeypatch):
    clouds = tmp_path / 'clouds.yaml'
    clouds.write_text('clouds:\n  here:\n    auth:\n      auth_url: '
                      'http://127.0.0.1:9/identity\n      username: u\n'
                      '      password: p\n      project_name: p\n')
    monkeypatch.setenv('OS_CLIENT_CONFIG_FILE', str(clouds))
    config.config(group='cloud', cloud='here')
    config.config(group='throttle', expected_failover_seconds=75)
    config.config(group='jobboard', backend='local')
    config.config(group='persistence',
                  connection='sqlite:///%s' % (tmp_path / 'jobs.sqlite'))
    duration = rehearsal.failover_duration(rehearsal.conf.CONF)
    assert duration['seconds'] == 75.0
    assert 'expected_failover_seconds = 75' in duration['source']
