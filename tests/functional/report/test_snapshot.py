"""fleet snapshot: a simulator fleet, read and served again, is the same
fleet to ``fleet report``; an anonymized one names no tenant.

The served snapshot is built as ``octavia-maint-simulator --fleet FILE``
builds it (``simulator.cmd.fleet_spec``), in this process for speed; the
rehearsal tests run the program itself.
"""

import datetime

import pytest
import yaml

from octavia_maint.cloud import facade
from octavia_maint import conf
from octavia_maint.report import fleet
from octavia_maint.report import snapshot
from octavia_maint.simulator import cmd
from tests.fixtures import simulator as sim_fixture
from tests.functional.engine import conftest
from tests.functional.report import test_fleet_report

LBS = 50


@pytest.fixture
def sim(monkeypatch):
    sim = conftest.make_simulator(
        monkeypatch, load_balancers=LBS, active_standby_ratio=0.3,
        ovn_ratio=0.1, error_lbs=2, hosts=4, orphan_amphora_vms=2,
        failover_seconds=0.2)
    yield sim
    sim.cleanUp()


def connect(config, sim):
    config.config(group='cloud', cloud=sim.cloud_name,
                  status_poll_interval=0.05)
    return facade.Cloud.from_conf(conf.CONF)


@pytest.fixture
def cloud(sim, config):
    cloud = connect(config, sim)
    yield cloud
    cloud.close()


def serve(path, monkeypatch):
    """The simulator ``octavia-maint-simulator --fleet path`` runs."""
    spec = cmd.fleet_spec(cmd.build_parser().parse_args(['--fleet', path]))
    served = sim_fixture.SimulatorFixture(
        **spec.to_dict(include_secrets=True))
    served.setUp()
    monkeypatch.setenv('OS_CLIENT_CONFIG_FILE', served.clouds_yaml_path)
    return served


def provoke(sim, cloud, image_file):
    """A failover done, one failed, a certificate near its end, an
    amphora in ERROR, a new image: every figure of the report non-zero."""
    lbs = [lb for lb in cloud.list_load_balancers()
           if lb['provisioning_status'] == 'ACTIVE'
           and lb['provider'] == 'amphora']
    cloud.failover_load_balancer(lbs[0]['id'])
    cloud.wait_for_load_balancer(lbs[0]['id'])
    amphorae = cloud.list_amphorae(loadbalancer_id=lbs[1]['id'])
    soon = test_fleet_report.sim_now(sim) + datetime.timedelta(days=3)
    sim.set_cert_expiration(amphorae[0]['id'], soon.isoformat())
    sim.set_amphora_status(amphorae[-1]['id'], 'ERROR')
    cloud.create_image('amphora-new', image_file, ['amphora'])


def report_of(cloud, now):
    return fleet.build(cloud, image_tag='amphora', now=now)


def write(fleet_file, path):
    with open(path, 'w', encoding='utf-8') as out:
        yaml.safe_dump(fleet_file, out)
    return str(path)


def test_a_served_snapshot_gives_the_same_report(
        sim, cloud, config, image_file, tmp_path, monkeypatch):
    provoke(sim, cloud, image_file)
    now = test_fleet_report.sim_now(sim)
    original = report_of(cloud, now)
    path = write(snapshot.build(cloud, image_tag='amphora'),
                 tmp_path / 'fleet.yaml')

    served = serve(path, monkeypatch)
    try:
        again = connect(config, served)
        assert report_of(again, now) == original
        assert len(again.list_compute_services()) == 4
        again.close()
    finally:
        served.cleanUp()
    assert original['load_balancers'] == LBS
    assert original['failovers'] >= 1
    assert original['stale_amphorae'] > 0
    assert original['amphorae_in_error']
    assert original['expiring_certificates']


def test_anonymized_snapshot_names_no_tenant(
        sim, cloud, config, tmp_path, monkeypatch):
    lbs = cloud.list_load_balancers()
    amphorae = cloud.list_amphorae()
    projects = {lb['project_id'] for lb in lbs}
    names = {p['id']: p['name'] for p in cloud.list_projects()}
    fleet_file = snapshot.build(cloud, image_tag='amphora', anonymize=True)
    path = write(fleet_file, tmp_path / 'fleet.yaml')
    text = open(path, encoding='utf-8').read()

    originals = (
        [lb['name'] for lb in lbs] + [lb['id'] for lb in lbs]
        + [lb['vip_address'] for lb in lbs] + list(projects)
        + [names[p] for p in projects] + [a['id'] for a in amphorae]
        + [a['compute_id'] for a in amphorae]
        + [sim.fleet()['service_project_id']])
    left = [value for value in originals if value in text]
    assert left == []
    # The same project is the same pseudonym everywhere.
    snap = fleet_file['snapshot']
    assert {lb['project_id'] for lb in snap['load_balancers']} == {
        p['id'] for p in snap['projects']}
    assert len(snap['projects']) == len(projects)

    served = serve(path, monkeypatch)
    try:
        again = connect(config, served)
        now = test_fleet_report.sim_now(sim)
        theirs, ours = report_of(again, now), report_of(cloud, now)
        for figure in ('load_balancers', 'load_balancers_by_status',
                       'amphorae', 'stale_amphorae', 'failovers'):
            assert theirs[figure] == ours[figure]
        again.close()
    finally:
        served.cleanUp()
