"""Nova v2.1 through the real openstacksdk: servers, hosts, services."""

import openstack.exceptions
import pytest
import requests

from tests.fixtures import simulator as sim_fixture
from tests.functional.simulator import helpers


def test_version_documents_advertise_microversions(sim):
    root = requests.get(sim.url + '/compute', timeout=10).json()
    v21 = requests.get(sim.url + '/compute/v2.1', timeout=10).json()

    assert [v['id'] for v in root['versions']] == ['v2.0', 'v2.1']
    assert v21['version']['min_version'] == '2.1'
    assert tuple(map(int, v21['version']['version'].split('.'))) >= (2, 79)


def test_servers_by_host_across_projects(sim, conn):
    everything = list(conn.compute.servers(all_projects=True))
    host = everything[0].compute_host

    on_host = list(conn.compute.servers(all_projects=True, compute_host=host))
    own_project = list(conn.compute.servers())

    assert len(everything) == 9 + 4 + 2  # amphorae, tenant VMs, orphans
    assert on_host and {s.compute_host for s in on_host} == {host}
    assert {s.id for s in on_host} == {
        s.id for s in everything if s.compute_host == host}
    assert own_project == []  # admin's own project has no servers
    # DESIGN.md's pitfall: the SDK sends host= but then filters the result
    # on a client-side attribute that is never set, so nothing comes back.
    assert list(conn.compute.servers(all_projects=True, host=host)) == []


def test_amphora_servers_are_named_after_amphorae(sim, conn):
    amphorae = {a.compute_id: a.id for a in conn.load_balancer.amphorae()}
    servers = list(conn.compute.servers(all_projects=True,
                                        name='^amphora-'))

    live = [s for s in servers if s.id in amphorae]
    orphans = [s for s in servers if s.id not in amphorae]
    assert len(live) == len(amphorae)
    assert all(s.name == 'amphora-' + amphorae[s.id] for s in live)
    assert len(orphans) == 2
    assert {s.project_id for s in servers} == {live[0].project_id}


def test_server_pagination_is_followed_by_the_sdk(sim, conn):
    pages = list(conn.compute.servers(all_projects=True, limit=4))
    raw = helpers.call(sim, 'GET',
                       '/compute/v2.1/servers/detail?all_tenants=1&limit=4',
                       headers={'OpenStack-API-Version': 'compute 2.79'})

    assert len({s.id for s in pages}) == 15
    assert raw.headers['OpenStack-API-Version'] == 'compute 2.79'
    assert raw.json()['servers_links'][0]['rel'] == 'next'
    assert 'marker=' in raw.json()['servers_links'][0]['href']


def test_unknown_filters_are_ignored_and_missing_servers_404(sim, conn):
    ignored = helpers.call(
        sim, 'GET', '/compute/v2.1/servers/detail?all_tenants=1&colour=red')
    missing = helpers.call(sim, 'GET', '/compute/v2.1/servers/nope')

    assert len(ignored.json()['servers']) == 15
    assert missing.status_code == 404
    assert missing.json() == {'itemNotFound': {
        'code': 404, 'message': 'Instance nope could not be found.'}}


def test_delete_server(sim, conn):
    server = next(iter(conn.compute.servers(all_projects=True,
                                            name='^vm-')))

    conn.compute.delete_server(server.id)
    conn.compute.wait_for_delete(server, interval=0.05, wait=10)

    with pytest.raises(openstack.exceptions.NotFoundException):
        conn.compute.get_server(server.id)


def test_disable_a_host_and_failovers_avoid_it(sim, conn):
    services = list(conn.compute.services(binary='nova-compute'))
    disabled = services[0]

    updated = conn.compute.disable_service(
        disabled, disabled_reason='octavia-maint evacuate-host job 42')
    for lb in conn.load_balancer.load_balancers():
        conn.load_balancer.failover_load_balancer(lb.id)
    for lb in conn.load_balancer.load_balancers():
        conn.load_balancer.wait_for_load_balancer(lb.id, interval=0.05,
                                                  wait=30)

    assert updated.status == 'disabled'
    assert updated.disabled_reason == 'octavia-maint evacuate-host job 42'
    on_host = [s for s in conn.compute.servers(
        all_projects=True, compute_host=disabled.host)
        if s.name.startswith('amphora-')]
    amphora_servers = {a.compute_id for a in conn.load_balancer.amphorae()}
    assert not amphora_servers & {s.id for s in on_host}
    enabled = conn.compute.enable_service(disabled)
    assert (enabled.status, enabled.disabled_reason) == ('enabled', None)


def test_service_update_validation(sim):
    service_id = helpers.call(
        sim, 'GET', '/compute/v2.1/os-services?binary=nova-scheduler',
        headers={'OpenStack-API-Version': 'compute 2.53'}
    ).json()['services'][0]['id']
    headers = {'OpenStack-API-Version': 'compute 2.53'}

    scheduler = helpers.call(sim, 'PUT',
                             '/compute/v2.1/os-services/%s' % service_id,
                             json={'status': 'disabled'}, headers=headers)
    old = helpers.call(sim, 'PUT',
                       '/compute/v2.1/os-services/%s' % service_id,
                       json={'status': 'disabled'},
                       headers={'OpenStack-API-Version': 'compute 2.52'})
    too_new = helpers.call(sim, 'GET', '/compute/v2.1/os-services',
                           headers={'OpenStack-API-Version': 'compute 2.99'})

    assert scheduler.status_code == 400
    assert 'Only nova-compute services' in scheduler.json()[
        'badRequest']['message']
    assert old.status_code == 404
    assert too_new.status_code == 406


def test_orphans_on_one_host_and_change_counters(sim, conn):
    sim.reset(orphan_amphora_vms=3, orphan_host='compute-002')
    conn = sim.connection()
    amphorae = {a.compute_id for a in conn.load_balancer.amphorae()}
    orphans = [s for s in conn.compute.servers(all_projects=True,
                                               name='^amphora-')
               if s.id not in amphorae]
    assert {s.compute_host for s in orphans} == {'compute-002'}
    assert len(orphans) == 3

    sim.set_transitions(server_delete={'seconds': 1000})
    conn.compute.delete_server(orphans[0].id)
    conn.compute.delete_server(orphans[0].id)   # Nova ignores a repeat
    service = next(conn.compute.services(host='compute-002'))
    conn.compute.disable_service(service, disabled_reason='maintenance')
    conn.compute.enable_service(service)
    stats = sim.stats()
    assert stats['server_deletes_by_id'] == {orphans[0].id: 2}
    assert stats['service_disables_by_host'] == {'compute-002': 1}
    assert stats['service_enables_by_host'] == {'compute-002': 1}
    assert sim.fleet()['service_project_id'] == orphans[0].project_id


def test_orphan_host_must_exist(sim):
    with pytest.raises(sim_fixture.ControlError, match='orphan_host'):
        sim.reset(orphan_host='compute-999')
