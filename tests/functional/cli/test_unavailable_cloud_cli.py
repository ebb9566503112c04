"""An unavailable cloud is not a failed target (issue 10), through the CLI.

The real ``octavia-maint`` in local mode against the simulator over HTTP.
The simulator's ``unavailable_lb_gets`` fault makes the next GETs of one
chosen load balancer answer 503, so the test knows which target meets the
outage and for how long: a short outage is ridden out by the facade's
retries; one that outlasts ``[cloud] api_retry_seconds`` leaves the target
``not-attempted`` (never ``failed``), saying the API answered 503, and
``job resume`` finishes the job once the API answers again.
"""

import json
import os

import pytest

from octavia_maint.common import image_file as image_file_mod
from tests.fixtures import simulator as sim_fixture
from tests.functional.cli import test_cli_end_to_end as e2e
from tests.functional.engine import harness

RETRY_SECONDS = 2.0


@pytest.fixture
def sim():
    with sim_fixture.SimulatorFixture(load_balancers=3,
                                      failover_seconds=0.2) as sim:
        yield sim


@pytest.fixture
def new_image(sim, tmp_path):
    """A newer amphora image, uploaded beforehand: every amphora is stale.

    The job uploads nothing, so its outcome is about the failovers only.
    """
    path = tmp_path / 'amphora-x64-haproxy.qcow2'
    path.write_bytes(image_file_mod.qcow2_header(2 * 1024 ** 3) +
                     os.urandom(4096))
    sim.connection().image.create_image(
        'amphora-new', filename=str(path), tags=['amphora'],
        disk_format='qcow2', container_format='bare',
        allow_duplicates=True, wait=True)


@pytest.fixture
def cli(sim, tmp_path):
    """``cli(*args)``: run octavia-maint in local mode with quick retries."""
    path = harness.write_config(
        tmp_path / 'octavia-maint.conf',
        persistence={'connection': 'sqlite:///%s'
                     % (tmp_path / 'jobs.sqlite')},
        cloud={'cloud': sim.cloud_name, 'status_poll_interval': 0.05,
               'api_retry_seconds': RETRY_SECONDS,
               'api_retry_max_delay': 0.2})
    env = dict(sim.cli_environment(), HOME=str(tmp_path))

    def run(*args):
        return e2e.run(['--config-file', path] + list(args), env=env)
    return run


def lb_ids(sim):
    return sorted(lb.id for lb in sim.connection().load_balancer
                  .load_balancers())


def target(view, lb_id):
    return next(t for t in view['targets'] if t['target'] == lb_id)


def test_503s_on_the_first_gets_are_retried_and_the_lb_failed_over(
        sim, cli, new_image):
    lbs = lb_ids(sim)
    sim.set_faults(unavailable_lb_gets={lbs[0]: 5})

    result = cli('job', 'post', 'rotate-image', '-f', 'json')

    assert result.returncode == 0, result.stderr
    view = json.loads(result.stdout)
    assert view['state'] == 'succeeded', view['reason']
    assert target(view, lbs[0])['outcome'] == 'succeeded'
    assert sim.control('GET', 'faults')['unavailable_lb_gets'] == {lbs[0]: 0}
    assert sim.stats()['failovers_by_lb'] == {lb: 1 for lb in lbs}


def test_an_outage_past_the_retry_window_is_not_attempted_then_resumed(
        sim, cli, new_image):
    lbs = lb_ids(sim)
    sim.set_faults(unavailable_lb_gets={lbs[0]: 10 ** 6})

    result = cli('job', 'post', 'rotate-image', '-f', 'json')

    assert result.returncode == 1, (result.stdout, result.stderr)
    view = json.loads(result.stdout)
    assert view['state'] == 'failed'
    down = target(view, lbs[0])
    assert down['outcome'] == 'not-attempted', down
    assert 'HTTP 503' in down['reason'] and 'load-balancer' in down['reason']
    assert 'No LoadBalancer found' not in down['reason']
    assert view['counts']['failed'] == 0
    assert '0 of 3 targets failed and 1 were not attempted' in view['reason']
    assert lbs[0] not in sim.stats()['failovers_by_lb']
    assert 'No LoadBalancer found' not in result.stderr

    sim.set_faults(unavailable_lb_gets={})
    resumed = cli('job', 'resume', view['id'], '-f', 'json')

    assert resumed.returncode == 0, resumed.stderr
    after = json.loads(resumed.stdout)
    assert after['state'] == 'succeeded', after['reason']
    assert target(after, lbs[0])['outcome'] == 'succeeded'
    assert sim.stats()['failovers_by_lb'] == {lb: 1 for lb in lbs}
    shown = json.loads(cli('job', 'show', view['id'], '-f', 'json').stdout)
    assert shown['posted_at'] == view['posted_at']
    assert shown['resumed_at'] > shown['posted_at']
