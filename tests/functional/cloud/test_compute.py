"""Server and compute service calls of the facade, over HTTP."""

import pytest

from octavia_maint.cloud import compute
from octavia_maint.common import exceptions

MISSING = '00000000-0000-4000-8000-000000000000'


def all_servers(sim):
    """Every server, as the test sees it with the SDK directly."""
    conn = sim.connection()
    try:
        return {server.id: server.compute_host
                for server in conn.compute.servers(all_projects=True)}
    finally:
        conn.close()


def compute_hosts(cloud):
    return sorted(service['host']
                  for service in cloud.list_compute_services())


def test_servers_on_each_host_of_every_project(sim, cloud):
    expected = all_servers(sim)
    seen = {}
    projects = set()
    for host in compute_hosts(cloud):
        for server in cloud.list_servers_on_host(host):
            assert list(server) == list(compute.SERVER_FIELDS)
            assert server['compute_host'] == host
            seen[server['id']] = host
            projects.add(server['project_id'])
    assert seen == expected
    # Amphorae (service project) and tenant VMs of both projects.
    assert len(projects) == 3
    assert cloud.list_servers_on_host('no-such-host') == []


def test_get_and_delete_server(sim, cloud):
    host = compute_hosts(cloud)[0]
    server = cloud.list_servers_on_host(host)[0]
    assert cloud.get_server(server['id']) == server
    assert cloud.delete_server(server['id']) is None
    with pytest.raises(exceptions.NotFound) as info:
        cloud.get_server(server['id'])
    assert info.value.kwargs == {'resource': 'Server', 'id': server['id']}
    with pytest.raises(exceptions.NotFound):
        cloud.delete_server(server['id'])


def test_list_services(sim, cloud):
    services = cloud.list_compute_services()
    assert len(services) == 3
    assert {service['binary'] for service in services} == {'nova-compute'}
    assert list(services[0]) == ['id', 'binary', 'host', 'status', 'state',
                                 'disabled_reason', 'zone']
    assert services[0]['zone'] == 'nova'
    host = services[0]['host']
    assert cloud.list_compute_services(host=host) == [services[0]]
    everything = cloud.list_compute_services(binary=None)
    assert {'nova-scheduler', 'nova-conductor'} < {
        service['binary'] for service in everything}


def test_disable_and_enable_service(sim, cloud):
    service = cloud.list_compute_services()[0]
    reason = 'octavia-maint job 42: evacuating'
    disabled = cloud.disable_compute_service(service['id'], reason)
    assert disabled['status'] == 'disabled'
    assert disabled['disabled_reason'] == reason
    assert cloud.list_compute_services(host=service['host']) == [disabled]
    # Setting an absolute state twice is harmless.
    assert cloud.disable_compute_service(service['id'], reason) == disabled
    enabled = cloud.enable_compute_service(service['id'])
    assert enabled['status'] == 'enabled'
    assert enabled['disabled_reason'] is None
    assert enabled['id'] == service['id']


def test_missing_service(sim, cloud):
    with pytest.raises(exceptions.NotFound) as info:
        cloud.disable_compute_service(MISSING, 'x')
    assert info.value.kwargs['resource'] == 'Compute service'
    with pytest.raises(exceptions.NotFound):
        cloud.enable_compute_service(MISSING)


def test_wait_for_server_deleted(sim, cloud):
    host = compute_hosts(cloud)[0]
    server = cloud.list_servers_on_host(host)[0]
    sim.set_transitions(server_delete={'seconds': 1})
    cloud.delete_server(server['id'])
    assert cloud.get_server(server['id'])['task_state'] == 'deleting'
    assert cloud.wait_for_server_deleted(server['id'], timeout=10) is None
    with pytest.raises(exceptions.NotFound):
        cloud.get_server(server['id'])
    # A server already gone ends the wait at once.
    assert cloud.wait_for_server_deleted(server['id'], timeout=0) is None
