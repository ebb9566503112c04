"""rotate-image --older-than against the simulator, as an operator runs it.

Two of six load balancers have amphorae 100 days old on the current
image: ``--older-than 30`` replaces exactly those two, verifies them and
the scope, and what their failovers took becomes the estimate of the
next dry run.
"""

import json
import os

from tests.fixtures import simulator as sim_fixture
from tests.functional.cli import test_cli_end_to_end as cli
from tests.functional.engine import harness


def test_older_than_rotates_only_the_old_amphorae(tmp_path):
    with sim_fixture.SimulatorFixture(
            load_balancers=6, aged_lbs=2, aged_days=100,
            failover_seconds=2, time_scale=10) as sim:
        env = dict(sim.cli_environment(), HOME=str(tmp_path))
        config = harness.write_config(
            tmp_path / 'octavia-maint.conf',
            persistence={'connection': 'sqlite:///%s'
                         % (tmp_path / 'jobs.sqlite')},
            cloud={'cloud': sim.cloud_name, 'status_poll_interval': 0.2})
        post = ['--config-file', config, 'job', 'post', 'rotate-image',
                '-f', 'json']

        dry = cli.run(post + ['--older-than', '30', '--dry-run'], env=env)
        assert dry.returncode == 0, dry.stderr
        plan = json.loads(dry.stdout)
        assert plan['to_run'] == 2
        assert plan['notes'] == (
            'No SINGLE failover history: using [throttle] '
            'expected_failover_seconds = 120.')
        old = {t['id'] for t in plan['targets'] if t['action'] == 'run'}

        before = len(sim.audit())
        done = cli.run(post + ['--older-than', '30', '--wait'], env=env,
                       timeout=300)
        assert done.returncode == 0, done.stderr
        outcomes = {r['target']: r['outcome']
                    for r in json.loads(done.stdout)['targets']}
        assert {t for t, o in outcomes.items() if o == 'succeeded'} == old
        failed_over = [os.path.basename(os.path.dirname(c['path']))
                       for c in sim.audit()[before:]
                       if c['path'].endswith('/failover')]
        assert sorted(failed_over) == sorted(old)

        # Those failovers are this cloud's history now.
        again = cli.run(post + ['--older-than', '5', '--dry-run'], env=env)
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)['notes'].startswith(
            'Estimated from the last 2 SINGLE failovers of this cloud: '
            'median ')


def test_the_progress_line_tells_failing_over_from_waiting_for_a_slot(
        tmp_path):
    """One failover at a time for three load balancers: while one fails
    over, the other two wait for the throttle, and the line says so."""
    with sim_fixture.SimulatorFixture(
            load_balancers=3, aged_lbs=3, failover_seconds=20,
            time_scale=10) as sim:
        env = dict(sim.cli_environment(), HOME=str(tmp_path))
        config = harness.write_config(
            tmp_path / 'octavia-maint.conf',
            persistence={'connection': 'sqlite:///%s'
                         % (tmp_path / 'jobs.sqlite')},
            cloud={'cloud': sim.cloud_name, 'status_poll_interval': 0.2},
            throttle={'max_concurrent_failovers': 1})
        done = cli.run(['--config-file', config, 'job', 'post',
                        'rotate-image', '--older-than', '30', '--wait',
                        '-f', 'json'], env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        assert '3 running (1 failing over, 2 waiting for a throttle ' \
               'slot)' in done.stderr, done.stderr
