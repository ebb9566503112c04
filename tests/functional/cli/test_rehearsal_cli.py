"""job post --rehearse and fleet snapshot through the real command.

A simulator plays the real cloud; ``octavia-maint`` runs as a subprocess
against it. The rehearsal starts its own simulator program on a
snapshot, runs the job there and says what the real run would do; the
"real" cloud's audit log shows it was never changed.
"""

import json

import pytest
import yaml

from tests.fixtures import simulator as sim_fixture
from tests.functional.cli import test_host_procedures_cli as host_cli
from tests.functional.engine.conftest import image_file  # noqa: F401

FAILOVER_SECONDS = 20
THROTTLE = 4


@pytest.fixture(scope='module')
def sim():
    # 12 LBs: 1 ovn, 1 in ERROR, 10 to rotate (half of them pairs).
    with sim_fixture.SimulatorFixture(
            load_balancers=12, active_standby_ratio=0.5, ovn_ratio=0.09,
            error_lbs=1, hosts=3, failover_seconds=FAILOVER_SECONDS) as sim:
        yield sim


@pytest.fixture
def cli(sim, tmp_path):
    run = host_cli.cli_for(sim, tmp_path)

    def rehearsal_cli(*args, **groups):
        groups.setdefault('throttle', {
            'max_concurrent_failovers': THROTTLE,
            'expected_failover_seconds': FAILOVER_SECONDS})
        groups.setdefault('rehearsal', {'time_scale': 40})
        return run(*args, **groups)
    return rehearsal_cli


def test_rehearsal_says_what_the_real_run_would_do(
        sim, cli, image_file):  # noqa: F811
    before = len(sim.audit())
    result = cli('job', 'post', 'rotate-image', '--image-file', image_file,
                 '--rehearse', '-f', 'json')
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)

    assert shown['state'] == 'succeeded'
    assert shown['to_run'] == 10
    assert sum(shown['skips'].values()) == 2
    assert shown['counts']['succeeded'] == 10
    assert shown['peak_concurrency'] == THROTTLE
    assert shown['failovers'] == 10
    # Three rounds of 4, 4 and 2 failovers of 20 s each, and the tool's
    # own work (the upload, the plan) as long as it took.
    assert 60 <= shown['expected_seconds'] <= 80, shown['waves']
    assert [w['targets'] for w in shown['waves']] == [12]
    assert shown['gates'] == []
    assert any('in ERROR are left out' in w for w in shown['warnings'])
    assert any('provider ovn' in w for w in shown['warnings'])
    assert shown['failover_source'].startswith('no failover history')
    # Nothing changed in the real cloud, nothing posted in its database.
    assert sim.audit()[before:] == []
    assert host_cli.posted(cli) == []


def test_bad_input_is_refused_before_the_cloud_is_read(sim, cli):
    before = sim.stats()['requests_total']
    result = cli('job', 'post', 'cleanup-node', '--host', 'compute-001',
                 '--rehearse')
    assert result.returncode == 2
    assert '--yes' in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert sim.stats()['requests_total'] == before


def test_fleet_snapshot_writes_a_fleet_file(sim, cli, tmp_path):
    path = tmp_path / 'fleet.yaml'
    result = cli('fleet', 'snapshot', '-o', str(path), '--anonymize',
                 '-f', 'json')
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown['load_balancers'] == 12 and shown['anonymized']
    fleet = yaml.safe_load(path.read_text())
    assert fleet['failover_seconds'] == FAILOVER_SECONDS
    assert len(fleet['snapshot']['load_balancers']) == 12
