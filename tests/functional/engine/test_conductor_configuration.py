"""The real ``octavia-maint-conductor`` on a configuration it cannot run.

Each mistake ends the service with exit code 2 and one line saying what
to fix, before it forks a worker (so cotyledon does not respawn one
forever), and the systemd unit does not restart a conductor that exited
2 (issue 10, configuration items 2 and 3).
"""

import configparser
import os
import signal
import subprocess

from kazoo import client as kazoo_client
from kazoo import security
import pytest

from tests.fixtures import zookeeper
from tests.functional.engine import harness

UNIT = os.path.join(zookeeper.ROOT, 'etc', 'systemd',
                    'octavia-maint-conductor.service')
PREFIX = 'octavia-maint-conductor: error: '


def run_conductor(config_file, timeout=30):
    """Run a conductor to its end; one that is still running after
    ``timeout`` (it forked and serves, or crash-loops) is killed with its
    workers and fails the test."""
    proc = subprocess.Popen(
        harness.CONDUCTOR + ['--config-file', config_file],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail('the conductor still ran after %ss: %s' % (timeout, err))
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def assert_refused(result, message):
    assert result.returncode == 2, (result.stdout, result.stderr)
    # oslo.log's INFO lines (a service logs at INFO) aside.
    lines = [line for line in result.stderr.strip().splitlines()
             if ' INFO ' not in line]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(PREFIX) and message in lines[0], lines[0]
    assert 'Traceback' not in result.stderr + result.stdout
    # Refused in the master: no worker ever ran.
    assert 'started' not in result.stderr + result.stdout


def groups(tmp_path, hosts='127.0.0.1:1', **extra):
    return harness.config_groups(
        hosts, zookeeper.PrivateZooKeeper.unique_path(),
        'sqlite:///%s' % (tmp_path / 'jobs.sqlite'), **extra)


@pytest.mark.parametrize('extra, message', [
    ({'throttle': {'max_concurrent_failovers': 0}},
     '[throttle] max_concurrent_failovers = 0: should be greater than or '
     'equal to 1'),
    ({'jobboard': {'session_timeout': 'ten'}},
     '[jobboard] session_timeout = ten: could not convert'),
    ({'jobboard': {'backend': 'local'}},
     'the conductor needs [jobboard] backend = zookeeper'),
    ({'persistence': {'connection': 'bogus://x'}},
     '[persistence] connection is a bogus:// URL'),
])
def test_bad_configuration_is_one_line_and_exit_2(tmp_path, extra, message):
    config_file = harness.write_config(tmp_path / 'octavia-maint.conf',
                                       **groups(tmp_path, **extra))
    assert_refused(run_conductor(config_file), message)


def test_missing_file_is_one_line_and_exit_2(tmp_path):
    missing = str(tmp_path / 'nowhere.conf')
    assert_refused(run_conductor(missing),
                   'Failed to find some config files: %s' % missing)


def test_syntax_error_is_one_line_and_exit_2(tmp_path):
    path = tmp_path / 'octavia-maint.conf'
    path.write_text('[throttle]\nthis is no assignment\n')
    assert_refused(run_conductor(str(path)), 'Failed to parse %s' % path)


def test_wrong_zookeeper_credentials_name_the_options(zk, tmp_path):
    config = groups(tmp_path, hosts=zk.hosts,
                    jobboard={'auth_username': 'octavia-maint',
                              'auth_password': 'wrong'})
    owner = kazoo_client.KazooClient(
        hosts=zk.hosts, auth_data=[('digest', 'octavia-maint:right')])
    owner.start(timeout=15)
    try:
        owner.create(config['jobboard']['path'], makepath=True,
                     acl=[security.make_digest_acl('octavia-maint', 'right',
                                                   all=True)])
    finally:
        owner.stop()
    config_file = harness.write_config(tmp_path / 'octavia-maint.conf',
                                       **config)
    result = run_conductor(config_file)
    assert_refused(result, 'check [jobboard] auth_username/auth_password')
    assert 'wrong' not in result.stderr


def test_systemd_does_not_restart_a_conductor_that_exited_2():
    unit = configparser.ConfigParser(strict=False)
    unit.optionxform = str
    unit.read(UNIT)
    assert unit['Service']['Restart'] == 'on-failure'
    assert unit['Service']['RestartPreventExitStatus'].split() == ['2']
