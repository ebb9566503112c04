"""Helpers to run real conductors against a simulator and ZooKeeper.

Conductors are real ``octavia-maint-conductor`` processes (cotyledon,
oslo.config, kazoo, SQL persistence); the simulator serves the cloud
over HTTP from the test process. Nothing here mocks a library.
"""

import os
import signal
import subprocess
import sys

from tests.fixtures import simulator as sim_fixture

CONDUCTOR = [sys.executable, '-c',
             'from octavia_maint.conductor import service; service.main()']


def write_config(path, **groups):
    """Write an octavia-maint.conf from ``{group: {option: value}}``;
    ``[verify]`` is the simulator's unless given."""
    groups.setdefault('verify', sim_fixture.VERIFY_OPTIONS)
    lines = []
    for group, options in groups.items():
        lines.append('[%s]' % group)
        lines.extend('%s = %s' % (k, v) for k, v in options.items())
    path.write_text('\n'.join(lines) + '\n')
    return str(path)


def config_groups(zk_hosts, zk_path, db_url, max_concurrent=3,
                  session_timeout=4, poll=0.1, **extra):
    """The configuration shared by the CLI side and every conductor."""
    groups = {
        # Children go three to a board job, as a larger throttle has them
        # by default: every board test runs batches (issue 13).
        'jobboard': {'backend': 'zookeeper', 'hosts': zk_hosts,
                     'path': zk_path, 'session_timeout': session_timeout,
                     'targets_per_board_job': 3},
        'persistence': {'connection': db_url},
        'cloud': {'cloud': 'octavia-maint-sim',
                  'status_poll_interval': poll},
        'throttle': {'max_concurrent_failovers': max_concurrent},
        'conductor': {'wait_timeout': 0.1, 'max_simultaneous_jobs': 32},
    }
    for group, options in extra.items():
        groups.setdefault(group, {}).update(options)
    return groups


class ConductorProcess:
    """One ``octavia-maint-conductor`` with its own process group."""

    def __init__(self, config_file, clouds_yaml, log_path):
        env = dict(os.environ, OS_CLIENT_CONFIG_FILE=clouds_yaml)
        self.log_path = log_path
        self._log = open(log_path, 'w')
        self.proc = subprocess.Popen(
            CONDUCTOR + ['--config-file', config_file], env=env,
            stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def signal(self, signum):
        os.killpg(self.proc.pid, signum)

    def kill(self):
        """SIGKILL the whole service (master and worker), as a host crash."""
        self.signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def terminate(self, timeout=30):
        """SIGTERM the service; returns its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self._log.close()

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.terminate(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()

    def log(self):
        with open(self.log_path) as f:
            return f.read()
