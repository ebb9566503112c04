"""``openstack maintenance ...``: the real openstack CLI with our plugin.

The installed ``openstack`` program of this environment, against the
simulator over HTTP: the cloud comes from its own ``--os-cloud`` and
``clouds.yaml``, the engine's settings from octavia-maint's file given
with ``--os-maintenance-config-file``; the same command classes, options
and output formats as ``octavia-maint``.
"""

import json
import os
import subprocess
import sys

import pytest

from octavia_maint.common import image_file
from tests.fixtures import simulator as sim_fixture
from tests.functional.engine import harness

OPENSTACK = os.path.join(os.path.dirname(sys.executable), 'openstack')


@pytest.fixture(scope='module')
def sim():
    with sim_fixture.SimulatorFixture(load_balancers=4) as sim:
        yield sim


def openstack(sim, tmp_path, *args):
    config_file = harness.write_config(
        tmp_path / 'octavia-maint.conf',
        persistence={'connection': 'sqlite:///%s'
                     % (tmp_path / 'jobs.sqlite')})
    env = dict(sim.cli_environment(), HOME=str(tmp_path))
    return subprocess.run(
        [OPENSTACK, '--os-cloud', sim.cloud_name,
         '--os-maintenance-config-file', config_file] + list(args),
        capture_output=True, text=True, env=env, timeout=120)


def test_help_lists_the_maintenance_commands(sim, tmp_path):
    result = openstack(sim, tmp_path, 'maintenance', '--help')
    for command in ('maintenance procedure list', 'maintenance job post',
                    'maintenance job show', 'maintenance job resume',
                    'maintenance fleet report'):
        assert command in result.stdout + result.stderr


def test_dry_run_through_the_openstack_cli(sim, tmp_path):
    result = openstack(sim, tmp_path, 'maintenance', 'job', 'post',
                       'rotate-image', '--dry-run', '-f', 'json')
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert len(plan['targets']) == 4
    assert sim.audit() == []   # a dry run changes nothing


def test_procedures_and_an_empty_job_list(sim, tmp_path):
    procedures = openstack(sim, tmp_path, 'maintenance', 'procedure',
                           'list', '-f', 'json')
    assert procedures.returncode == 0, procedures.stderr
    assert 'rotate-image' in {p['name'] for p in json.loads(
        procedures.stdout)}
    jobs = openstack(sim, tmp_path, 'maintenance', 'job', 'list',
                     '-f', 'json')
    assert jobs.returncode == 0, jobs.stderr
    assert json.loads(jobs.stdout) == []


def test_fleet_report_uses_the_openstack_cli_cloud(sim, tmp_path):
    result = openstack(sim, tmp_path, 'maintenance', 'fleet', 'report',
                       '-f', 'json')
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)


def test_a_followed_job_that_failed_exits_1(tmp_path):
    image = tmp_path / 'amphora.qcow2'
    image.write_bytes(image_file.qcow2_header(2 * 1024 ** 3) + bytes(4096))
    with sim_fixture.SimulatorFixture(load_balancers=2,
                                      failover_seconds=0.1) as sim:
        sim.set_faults(failover_error_rate=1.0)
        result = openstack(sim, tmp_path, 'maintenance', 'job', 'post',
                           'rotate-image', '--image-file', str(image),
                           '--wait', '-f', 'json')
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert json.loads(result.stdout)['state'] == 'failed'
