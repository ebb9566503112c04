"""Ctrl-C on ``octavia-maint job watch``: the job goes on without us.

The real command in board mode, a private ZooKeeper and the simulator: a
job posted with no conductor running stays queued; SIGINT to the
``job watch`` following it ends the command with exit 130 and says how
to follow the job again (issue 10, configuration item 4).
"""

import os
import signal
import subprocess

import pytest

from tests.fixtures import simulator as sim_fixture
from tests.fixtures import zookeeper
from tests.functional.cli import test_cli_end_to_end as e2e
from tests.functional.engine import harness


@pytest.fixture(scope='module')
def sim():
    with sim_fixture.SimulatorFixture(load_balancers=1) as sim:
        yield sim


def test_sigint_leaves_the_job_running_and_exits_130(sim, zk, tmp_path):
    config_file = harness.write_config(
        tmp_path / 'octavia-maint.conf', **harness.config_groups(
            zk.hosts, zookeeper.PrivateZooKeeper.unique_path(),
            'sqlite:///%s' % (tmp_path / 'jobs.sqlite'),
            cloud={'cloud': sim.cloud_name}))
    env = dict(sim.cli_environment(), HOME=str(tmp_path))
    posted = e2e.run(['--config-file', config_file, 'job', 'post',
                      'rotate-image', '-f', 'value', '-c', 'id'], env=env)
    assert posted.returncode == 0, posted.stderr
    job_id = posted.stdout.strip()
    watch = subprocess.Popen(
        e2e.CLI + ['--config-file', config_file, 'job', 'watch', job_id],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = watch.stderr.readline()
        assert 'job %s queued' % job_id in first, first
        watch.send_signal(signal.SIGINT)
        out, err = watch.communicate(timeout=60)
    finally:
        if watch.poll() is None:
            os.kill(watch.pid, signal.SIGKILL)
            watch.wait()
    assert watch.returncode == 130, (out, err)
    assert ('the job goes on; `octavia-maint job watch %s` to follow it '
            'again' % job_id) in err, err
    assert 'Traceback' not in err
    shown = e2e.run(['--config-file', config_file, 'job', 'show', job_id,
                     '-f', 'value', '-c', 'state'], env=env)
    assert shown.stdout.strip() == 'queued', shown.stderr
