"""Faults, bad credentials and unreachable clouds, through the real SDK."""

import logging
import socket

from keystoneauth1 import loading as ks_loading
import pytest

from octavia_maint.cloud import facade
from octavia_maint.common import exceptions
from tests.fixtures import simulator as sim_fixture
from tests.functional.cloud import conftest

WRONG_PASSWORD = 'wrong-Pa55word-that-must-not-leak'


def failovers(sim):
    return [entry['status'] for entry in sim.audit()
            if entry['path'].endswith('/failover')]


def closed_loopback_port():
    """A loopback port on which, a moment later, nothing listens."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def test_503_storm_is_retried_then_unavailable(sim, cloud):
    cloud.list_load_balancers()  # authenticated before the storm
    sim.set_faults(error_rate=1.0)
    with pytest.raises(exceptions.CloudUnavailable) as info:
        cloud.list_load_balancers()
    assert 'HTTP 503' in str(info.value)
    attempts = conftest.CLOUD_OPTIONS['api_retries'] + 1
    assert sim.stats()['injected_errors'] == attempts


def test_flaky_api_is_ridden_out_without_duplicate_failovers(
        sim, make_cloud):
    cloud = make_cloud(api_retries=10)
    lb_ids = [lb['id'] for lb in cloud.list_load_balancers()]
    sim.set_faults(error_rate=0.3)
    for lb_id in lb_ids:
        cloud.failover_load_balancer(lb_id)
    for lb_id in lb_ids:
        cloud.wait_for_load_balancer(lb_id)
    assert len(cloud.list_amphorae()) == 9
    stats = sim.stats()
    assert stats['injected_errors'] > 0
    assert stats['failovers_by_lb'] == {lb_id: 1 for lb_id in lb_ids}
    assert failovers(sim).count(202) == len(lb_ids)


def test_read_timeout_repeats_reads_but_never_a_failover(sim, make_cloud):
    cloud = make_cloud(timeout=0.2)
    lb_id = cloud.list_load_balancers()[0]['id']
    sim.set_faults(latency_ms=600)
    before = sim.stats()['requests_total']
    with pytest.raises(exceptions.CloudUnavailable):
        cloud.get_load_balancer(lb_id)
    attempts = conftest.CLOUD_OPTIONS['api_retries'] + 1
    assert sim.stats()['requests_total'] - before == attempts

    # The simulator still acts on the failover after the client gave up,
    # as a slow Octavia would: the facade must not send a second one.
    with pytest.raises(exceptions.CloudUnavailable):
        cloud.failover_load_balancer(lb_id)
    sim_fixture.wait_until(lambda: failovers(sim), timeout=10)
    sim.set_faults(latency_ms=0)
    assert cloud.wait_for_load_balancer(lb_id)['provisioning_status'] == (
        'ACTIVE')
    assert failovers(sim) == [202]


def test_wrong_password(sim, make_cloud, write_clouds_yaml, caplog):
    caplog.set_level(logging.DEBUG)
    write_clouds_yaml('wrong-password', password=WRONG_PASSWORD)
    cloud = make_cloud(cloud='wrong-password')
    with pytest.raises(exceptions.AuthenticationFailed) as info:
        cloud.list_load_balancers()
    assert WRONG_PASSWORD not in str(info.value)
    assert WRONG_PASSWORD not in caplog.text


def test_missing_role(sim, make_cloud, write_clouds_yaml):
    admin = sim.spec.to_dict(include_secrets=True)['users'][0]
    member = {'name': 'alice', 'password': 'alice-password',
              'project': 'alice-project', 'roles': ['member']}
    sim.reset(users=[admin, member])
    write_clouds_yaml('alice', username='alice', password='alice-password',
                      project_name='alice-project')
    cloud = make_cloud(cloud='alice')
    assert cloud.list_load_balancers() == []
    with pytest.raises(exceptions.AuthenticationFailed) as info:
        cloud.list_amphorae()  # admin only
    assert 'HTTP 403' in str(info.value)


def test_unreachable_identity_service(sim, make_cloud, write_clouds_yaml):
    port = closed_loopback_port()
    write_clouds_yaml('nowhere',
                      auth_url='http://127.0.0.1:%d/identity/v3' % port)
    cloud = make_cloud(cloud='nowhere', api_retries=1)
    with pytest.raises(exceptions.CloudUnavailable) as info:
        cloud.get_load_balancer('lb-1')
    assert '127.0.0.1:%d' % port in str(info.value)


def test_unknown_cloud_name(sim, make_conf):
    with pytest.raises(exceptions.ConfigError) as info:
        facade.Cloud.from_conf(make_conf(cloud='typo'))
    assert sim.clouds_yaml_path in str(info.value)


def test_keystoneauth_options_instead_of_clouds_yaml(sim, make_conf):
    settings = sim.simulator.cloud_config()
    conf = make_conf(cloud=None, region_name=settings['region_name'])
    conf.register_opts(ks_loading.get_auth_plugin_conf_options('password'),
                       group='cloud')
    conf.set_override('auth_type', 'password', group='cloud')
    for name, value in settings['auth'].items():
        conf.set_override(name, value, group='cloud')
    cloud = facade.Cloud.from_conf(conf)
    try:
        assert len(cloud.list_load_balancers()) == 7
        assert cloud.find_newest_image('amphora')['status'] == 'active'
        assert cloud.list_compute_services()
    finally:
        cloud.close()
