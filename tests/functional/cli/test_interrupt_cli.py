"""Ctrl-C of a local ``job post --wait``, then ``job resume``, for real.

Subprocesses of ``octavia-maint`` in local mode against the simulator:
SIGINT lands at a chosen moment of a rotation that uploads its image,
and the next ``job resume`` must finish it with every load balancer
failed over exactly once, onto the uploaded image (the simulator's
counters and the amphora API are the judges).
"""

import json
import os
import queue
import re
import signal
import subprocess
import threading

import pytest

from octavia_maint.common import image_file
from tests.fixtures import simulator as sim_fixture
from tests.functional.cli import test_cli_end_to_end as e2e
from tests.functional.engine import harness

LOAD_BALANCERS = 8
PROGRESS = re.compile(r'^job (\S+) (\w+)')


@pytest.fixture
def sim():
    with sim_fixture.SimulatorFixture(
            load_balancers=LOAD_BALANCERS, active_standby_ratio=0.5,
            hosts=2, failover_seconds=1.0) as sim:
        yield sim


def _lines(stream, into):
    for line in stream:
        into.put(line)
    into.put(None)


def _interrupted_post(sim, env, config_file, image, moment):
    """``job post ... --wait`` interrupted at ``moment``: as soon as the
    job shows as queued or running (uploading), or after three failovers.

    :returns: the job's id.
    """
    post = subprocess.Popen(
        e2e.CLI + ['--config-file', config_file, 'job', 'post',
                   'rotate-image', '--image-file', image, '--wait'],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines = queue.Queue()
    threading.Thread(target=_lines, args=(post.stderr, lines),
                     daemon=True).start()
    job_id = state = None
    while state != moment and not (job_id and moment == 'midway'):
        line = lines.get(timeout=60)
        assert line is not None, 'no progress line'
        match = PROGRESS.match(line)
        if match:
            job_id, state = match.groups()
    if moment == 'midway':
        sim_fixture.wait_until(
            lambda: len(sim.stats()['failovers_by_lb']) >= 3, timeout=60)
    post.send_signal(signal.SIGINT)
    post.stdout.read()
    assert post.wait(timeout=60) == 1
    return job_id


@pytest.mark.parametrize('moment', ['queued', 'running', 'midway'])
def test_resume_after_ctrl_c_fails_each_over_once_onto_the_new_image(
        sim, tmp_path, moment):
    image = tmp_path / 'amphora.qcow2'
    image.write_bytes(image_file.qcow2_header(2 * 1024 ** 3) +
                      os.urandom(4096))
    config_file = harness.write_config(
        tmp_path / 'octavia-maint.conf',
        persistence={'connection': 'sqlite:///%s'
                     % (tmp_path / 'jobs.sqlite')},
        cloud={'cloud': sim.cloud_name, 'status_poll_interval': 0.05},
        throttle={'max_concurrent_failovers': 2})
    env = dict(sim.cli_environment(), HOME=str(tmp_path))
    job_id = _interrupted_post(sim, env, config_file, str(image), moment)

    resumed = e2e.run(['--config-file', config_file, 'job', 'resume',
                       job_id, '-f', 'json'], env=env, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert 'cannot schedule new futures' not in resumed.stderr
    view = json.loads(e2e.run(['--config-file', config_file, 'job', 'show',
                               job_id, '-f', 'json'], env=env).stdout)
    assert view['state'] == 'succeeded', view

    stats = sim.stats()
    assert sorted(stats['failovers_by_lb'].values()) == [1] * LOAD_BALANCERS
    conn = sim.connection()
    [uploaded] = [i for i in conn.image.images(tag='amphora')
                  if i.name == 'amphora-x64-haproxy']
    assert {a.image_id for a in conn.load_balancer.amphorae()} == {
        uploaded.id}
    conn.close()
