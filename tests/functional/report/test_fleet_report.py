"""The fleet report against the simulator, through the real openstacksdk.

Each figure is provoked in the simulated cloud first (a failover, a
failed failover, a stuck one, a certificate near its end, a new image),
then read back by the report.
"""

import datetime
import os

from oslo_utils import timeutils
import pytest

from octavia_maint.cloud import facade
from octavia_maint import conf
from octavia_maint.report import fleet
from octavia_maint.report import prometheus
from tests.functional.engine import conftest

LBS = 6


@pytest.fixture
def sim(monkeypatch):
    sim = conftest.make_simulator(monkeypatch, load_balancers=LBS,
                                  hosts=3, failover_seconds=0.2,
                                  ovn_ratio=0.0)
    yield sim
    sim.cleanUp()


@pytest.fixture
def cloud(sim, config):
    config.config(group='cloud', cloud=sim.cloud_name,
                  status_poll_interval=0.05)
    cloud = facade.Cloud.from_conf(conf.CONF)
    yield cloud
    cloud.close()


def sim_now(sim):
    return timeutils.normalize_time(timeutils.parse_isotime(
        sim.control('GET', 'time')['now_iso']))


def test_every_figure(sim, cloud, image_file):
    lbs = cloud.list_load_balancers()
    ok, failed, stuck = lbs[0]['id'], lbs[1]['id'], lbs[2]['id']
    cloud.failover_load_balancer(ok)
    cloud.wait_for_load_balancer(ok)
    sim.set_faults(failover_error_lb_ids=[failed])
    cloud.failover_load_balancer(failed)
    cloud.wait_for_load_balancer(failed, status='ERROR')
    sim.set_transitions(failover={'seconds': 100000})
    cloud.failover_load_balancer(stuck)
    near = next(a for a in cloud.list_amphorae(loadbalancer_id=lbs[3]['id']))
    soon = sim_now(sim) + datetime.timedelta(days=3)
    sim.set_cert_expiration(near['id'], soon.isoformat())
    sim.set_time(advance=7200)
    cloud.create_image('amphora-new', image_file, ['amphora'])

    report = fleet.build(cloud, image_tag='amphora', stuck_after=3600,
                         cert_days=14, failover_window=86400,
                         now=sim_now(sim))

    assert report['load_balancers'] == LBS
    assert report['load_balancers_by_status'] == {
        'ACTIVE': LBS - 2, 'ERROR': 1, 'PENDING_UPDATE': 1}
    # ERROR is "not ACTIVE" too: both have been so for two hours.
    assert {r['id']: r['provisioning_status']
            for r in report['stuck_load_balancers']} == {
        stuck: 'PENDING_UPDATE', failed: 'ERROR'}
    assert all(r['seconds'] >= 7200 for r in report['stuck_load_balancers'])
    assert [r['loadbalancer_id'] for r in report['amphorae_in_error']] == [
        failed]
    assert [r['id'] for r in report['expiring_certificates']] == [
        near['id']]
    assert 0 < report['expiring_certificates'][0]['days_left'] <= 3
    # The healthy failover and the failed one replaced or touched one
    # amphora each; only the healthy one created a new amphora.
    assert report['failovers'] == 1
    assert report['amphorae'] == LBS
    assert report['stale_amphorae'] == LBS
    assert report['stale_load_balancers'] == LBS
    assert report['target_image'] == cloud.find_newest_image('amphora')['id']


def test_prometheus_file_is_written_atomically(sim, cloud, tmp_path):
    report = fleet.build(cloud, image_tag='amphora')
    path = tmp_path / 'octavia.prom'
    prometheus.write(report, str(path))
    text = path.read_text()
    assert ('octavia_maint_fleet_load_balancers{provisioning_status='
            '"ACTIVE"} %s' % float(LBS)) in text
    assert 'octavia_maint_fleet_amphorae_error 0.0' in text
    assert 'octavia_maint_fleet_failovers 0.0' in text
    assert 'octavia_maint_fleet_amphorae_stale_image 0.0' in text
    assert os.listdir(tmp_path) == ['octavia.prom']     # no temp file left


def test_failover_stopped_amphorae(sim, cloud):
    lbs = cloud.list_load_balancers()
    stopped = cloud.list_amphorae(loadbalancer_id=lbs[0]['id'])[0]
    sim.set_amphora_status(stopped['id'], 'FAILOVER_STOPPED')

    report = fleet.build(cloud, image_tag='amphora')

    assert [(r['id'], r['loadbalancer_id'])
            for r in report['amphorae_failover_stopped']] == [
        (stopped['id'], lbs[0]['id'])]
    assert report['load_balancers_without_amphorae'] == []
