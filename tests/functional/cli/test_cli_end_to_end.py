"""The real ``octavia-maint`` command, as an operator runs it.

Subprocesses of the installed console script: the demo from nothing, and
every kind of bad input answered with one line and exit code 2, nothing
posted.
"""

import json
import os
import subprocess
import sys

import pytest

from octavia_maint.common import image_file
from tests.fixtures import simulator as sim_fixture
from tests.functional.engine import harness

CLI = [sys.executable, '-c',
       'import sys; from octavia_maint.cli import app; sys.exit(app.main())']
LB = '6b2c4f0e-1d1c-4b8e-9a61-2f1f3c1f1a01'


def run(args, env=None, timeout=120):
    return subprocess.run(CLI + args, capture_output=True, text=True,
                          env=env, timeout=timeout)


def test_demo_runs_from_nothing(tmp_path):
    env = dict(os.environ, HOME=str(tmp_path))
    result = run(['demo', '--load-balancers', '5', '-f', 'json'], env=env)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 5
    assert {r['outcome'] for r in rows} <= {'succeeded', 'skipped'}
    assert 'at most one per load balancer: True' in result.stderr


@pytest.fixture(scope='module')
def sim():
    with sim_fixture.SimulatorFixture(load_balancers=3) as sim:
        yield sim


@pytest.mark.parametrize('groups, args, message', [
    ({}, ['job', 'post', 'rotate-everything'], 'unknown procedure'),
    ({}, ['job', 'post', 'rotate-image', '--load-balancer', 'nope'],
     'not a load balancer ID'),
    ({}, ['job', 'post', 'rotate-image', '--load-balancer', LB],
     'does not exist'),
    ({'jobboard': {'backend': 'zookeeper', 'hosts': '127.0.0.1:1',
                   'connect_timeout': 1}},
     ['job', 'list'], 'ZooKeeper at 127.0.0.1:1 did not answer'),
    ({'persistence': {'connection': 'nonsense'}}, ['job', 'list'],
     'not a database URL'),
    ({'cloud': {'cloud': 'no-such-cloud'}},
     ['job', 'post', 'rotate-image'], 'no-such-cloud'),
    ({}, ['job', 'show', '8f3a8b52-0000-4000-8000-000000000000'],
     'No job 8f3a8b52'),
    ({}, ['job', 'post', 'rotate-image', '--older-than', '0'],
     '--older-than takes a positive whole number of days'),
    ({}, ['job', 'post', 'rotate-image', '--older-than', 'a-month'],
     "--older-than: invalid int value: 'a-month'"),
    ({}, ['job', 'post', 'heartbeat-key'], 'needs --heartbeat-timeout'),
    ({}, ['job', 'post', 'heartbeat-key', '--heartbeat-timeout', '30'],
     'must be above the timeout to restore'),
    ({}, ['job', 'post', 'heartbeat-key', '--heartbeat-timeout', '20',
          '--restore-heartbeat-timeout', '10'],
     'configuring 3 amphorae takes about 31s'),
    ({}, ['job', 'post', 'heartbeat-key', '--heartbeat-timeout', '3600'],
     '[octavia_db] connection is not set'),
    ({'octavia_db': {'connection': 'sqlite:////nonexistent/octavia.db'}},
     ['job', 'post', 'heartbeat-key', '--heartbeat-timeout', '3600',
      '--dry-run'], "Octavia's database ([octavia_db] connection) cannot"),
])
def test_bad_input_is_one_line_and_exit_2(sim, tmp_path, groups, args,
                                          message):
    base = {'persistence': {'connection': 'sqlite:///%s'
                            % (tmp_path / 'jobs.sqlite')},
            'cloud': {'cloud': sim.cloud_name}}
    for group, options in groups.items():
        base.setdefault(group, {}).update(options)
    env = dict(sim.cli_environment(), HOME=str(tmp_path))
    config_file = harness.write_config(tmp_path / 'octavia-maint.conf', **base)
    result = run(['--config-file', config_file] + args, env=env)
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith('octavia-maint: error: ')
    assert message in lines[0]
    assert 'Traceback' not in result.stderr
    listing = run(['--config-file', harness.write_config(
        tmp_path / 'listing.conf', persistence=base['persistence']),
        'job', 'list', '-f', 'json'], env=env)
    assert json.loads(listing.stdout or '[]') == []


@pytest.mark.parametrize('content, extra, message', [
    (b'', [], 'is empty'),
    (b'#!/bin/sh\necho not an image\n' * 200, [], 'not a qcow2 image'),
    (b'QFI\xfb' + bytes(4096), [], 'qcow2 version 0'),
    (bytes(2 * 1024 * 1024), ['--disk-format', 'raw'], 'add --allow-raw'),
    (bytes(1000), ['--disk-format', 'raw', '--allow-raw'],
     'not a plausible raw disk'),
    (bytes(4096), ['--disk-format', 'vmdk'], "disk format 'vmdk'"),
])
@pytest.mark.parametrize('dry_run', [False, True])
def test_a_file_that_is_no_image_is_refused_before_any_upload(
        sim, tmp_path, content, extra, message, dry_run):
    image = tmp_path / 'amphora.qcow2'
    image.write_bytes(content)
    env = dict(sim.cli_environment(), HOME=str(tmp_path))
    config_file = harness.write_config(
        tmp_path / 'octavia-maint.conf',
        persistence={'connection': 'sqlite:///%s'
                     % (tmp_path / 'jobs.sqlite')},
        cloud={'cloud': sim.cloud_name})
    before = len(sim.audit())
    result = run(['--config-file', config_file, 'job', 'post',
                  'rotate-image', '--image-file', str(image)] + extra +
                 (['--dry-run'] if dry_run else []), env=env)
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert 'Traceback' not in result.stderr
    assert sim.audit()[before:] == []


def _image(tmp_path):
    path = tmp_path / 'amphora.qcow2'
    path.write_bytes(image_file.qcow2_header(2 * 1024 ** 3) + bytes(4096))
    return str(path)


def _config(sim, tmp_path):
    return harness.write_config(
        tmp_path / 'octavia-maint.conf',
        persistence={'connection': 'sqlite:///%s'
                     % (tmp_path / 'jobs.sqlite')},
        cloud={'cloud': sim.cloud_name})


@pytest.mark.parametrize('procedure, extra', [
    ('rotate-image', ['--image-file']),
    ('rotate-certs', ['--via-failover']),
])
@pytest.mark.parametrize('project, message', [
    ('demo', "project 'demo' not found in Keystone; give a project id "
             "(openstack project list)"),
    ('0c8f6a3de3a44e6c9d2c1c2f2b7d9e11',
     "project '0c8f6a3de3a44e6c9d2c1c2f2b7d9e11' not found in Keystone"),
    ('project-01', "'project-01' is the name of project "),
])
@pytest.mark.parametrize('dry_run', [False, True])
def test_a_project_keystone_does_not_know_is_refused_before_posting(
        sim, tmp_path, procedure, extra, project, message, dry_run):
    if extra == ['--image-file']:
        extra = extra + [_image(tmp_path)]
    env = dict(sim.cli_environment(), HOME=str(tmp_path))
    before = len(sim.audit())
    result = run(['--config-file', _config(sim, tmp_path), 'job', 'post',
                  procedure, '--project-id', project] + extra +
                 (['--dry-run'] if dry_run else []), env=env)
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert 'Traceback' not in result.stderr
    assert sim.audit()[before:] == []
    listing = run(['--config-file', _config(sim, tmp_path), 'job', 'list',
                   '-f', 'json'], env=env)
    assert json.loads(listing.stdout or '[]') == []


def test_dry_run_of_a_scoped_upload_says_the_image_is_for_the_whole_cloud(
        sim, tmp_path):
    env = dict(sim.cli_environment(), HOME=str(tmp_path))
    project_id = sim.connection().identity.find_project(
        'project-01', ignore_missing=False).id
    result = run(['--config-file', _config(sim, tmp_path), 'job', 'post',
                  'rotate-image', '--project-id', project_id, '--image-file',
                  _image(tmp_path), '--dry-run', '-f', 'json'], env=env)
    assert result.returncode == 0, result.stderr
    notes = json.loads(result.stdout)['notes']
    assert 'boot image of every new amphora in the whole cloud' in notes
    assert project_id in notes


def test_posting_the_same_image_file_again_reuses_the_image(sim, tmp_path):
    env = dict(sim.cli_environment(), HOME=str(tmp_path))
    image = _image(tmp_path)
    one = next(sim.connection().load_balancer.load_balancers()).id
    post = ['--config-file', _config(sim, tmp_path), 'job', 'post',
            'rotate-image', '--image-file', image, '--load-balancer', one,
            '--wait', '-f', 'json']
    first = run(post, env=env, timeout=300)
    assert first.returncode == 0, first.stderr
    tagged = [i.id for i in sim.connection().image.images(tag='amphora')]

    dry = run(post[:-3] + ['--dry-run', '-f', 'json'], env=env)
    assert dry.returncode == 0, dry.stderr
    plan = json.loads(dry.stdout)
    assert 'it is reused, nothing is uploaded' in plan['notes']
    assert plan['to_run'] == 0
    again = run(post + ['--force'], env=env, timeout=300)

    assert again.returncode == 0, again.stderr
    assert [i.id for i in sim.connection().image.images(
        tag='amphora')] == tagged
    assert json.loads(again.stdout)['counts']['succeeded'] == 0
