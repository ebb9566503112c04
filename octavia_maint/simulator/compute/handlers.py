"""Nova v2.1 handlers: parse, call the compute model, serialise."""

from octavia_maint.simulator.compute import exceptions
from octavia_maint.simulator.compute import microversion
from octavia_maint.simulator.compute import models
from octavia_maint.simulator.core import http
from octavia_maint.simulator.core import wire


def versions(cloud, req):
    v21 = microversion.version_document(req.service_url)
    v20 = dict(v21, id='v2.0', status='SUPPORTED', version='',
               min_version='', updated='2011-01-21T11:33:21Z',
               links=[{'rel': 'self', 'href': req.service_url + '/v2/'}])
    return http.json_response(200, {'versions': [v20, v21]})


def version(cloud, req):
    return http.json_response(
        200, {'version': microversion.version_document(req.service_url)})


def _all_tenants(req):
    """``all_tenants``: present and empty means yes."""
    if 'all_tenants' not in req.args:
        return False
    value = req.last_arg('all_tenants') or 'true'
    try:
        return wire.parse_bool(value)
    except ValueError:
        raise exceptions.BadRequest(
            reason='Invalid value %s for all_tenants' % value) from None


def _server_page(cloud, req):
    """The servers a list call asks for, and its ``servers_links``."""
    all_tenants = _all_tenants(req)
    page_request = models.SERVERS.request(req.args)
    filters = {key: req.last_arg(key) for key in models.SERVER_FILTERS
               if req.last_arg(key)}
    servers = cloud.compute.list_servers(req.context, filters, page_request,
                                         all_tenants=all_tenants)
    query = page_request.next_query(req.args, servers)
    links = [] if query is None else [{
        'rel': 'next',
        'href': '%s/v2.1/servers/detail?%s' % (req.service_url, query)}]
    return servers, links


def list_servers_detail(cloud, req):
    version = microversion.requested(req)
    servers, links = _server_page(cloud, req)
    document = {'servers': [s.to_dict(version, req.service_url)
                            for s in servers]}
    if links:
        document['servers_links'] = links
    return http.json_response(200, document)


def list_servers(cloud, req):
    microversion.requested(req)
    servers, links = _server_page(cloud, req)
    document = {'servers': [
        {'id': s.id, 'name': s.name, 'links': [{
            'rel': 'self',
            'href': '%s/v2.1/servers/%s' % (req.service_url, s.id)}]}
        for s in servers]}
    if links:
        document['servers_links'] = links
    return http.json_response(200, document)


def _visible_server(cloud, req):
    """The server in the path; other projects' servers are hidden (404)."""
    server = cloud.compute.get_server(req.params['server_id'])
    context = req.context
    if server.project_id != context.project_id and not context.is_admin:
        raise exceptions.InstanceNotFound(instance_id=server.id)
    return server


def show_server(cloud, req):
    version = microversion.requested(req)
    server = _visible_server(cloud, req)
    return http.json_response(
        200, {'server': server.to_dict(version, req.service_url)})


def delete_server(cloud, req):
    microversion.requested(req)
    server = _visible_server(cloud, req)
    cloud.compute.delete_server(server.id)
    return http.empty_response(204)


def list_services(cloud, req):
    microversion.requested(req)
    services = cloud.compute.list_services(binary=req.last_arg('binary'),
                                           host=req.last_arg('host'))
    return http.json_response(
        200, {'services': [s.to_dict() for s in services]})


def update_service(cloud, req):
    if microversion.requested(req) < (2, 53):
        raise exceptions.UnknownAction()
    try:
        changes = req.json_body()
    except ValueError:
        raise exceptions.BadRequest(
            reason='Malformed request body') from None
    service = cloud.compute.update_service(req.params['service_id'], changes)
    return http.json_response(200, {'service': service.to_dict()})
