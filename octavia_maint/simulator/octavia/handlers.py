"""Octavia v2 handlers: parse, call the Octavia model, serialise."""

from octavia_maint.simulator.core import http
from octavia_maint.simulator.octavia import exceptions
from octavia_maint.simulator.octavia import listeners
from octavia_maint.simulator.octavia import models
from octavia_maint.simulator.octavia import pagination

# Octavia 2.0 to 2.30, all served at /v2 (Octavia lists each minor version).
API_VERSIONS = ['v2.%d' % minor for minor in range(0, 31)]
VERSIONS_UPDATED = '2025-02-26T00:00:00Z'


def versions(cloud, req):
    base = req.service_url + '/'
    return http.json_response(200, {'versions': [
        {'id': version, 'updated': VERSIONS_UPDATED,
         'status': 'CURRENT' if version == API_VERSIONS[-1] else 'SUPPORTED',
         'links': [{'href': base + 'v2', 'rel': 'self'}]}
        for version in API_VERSIONS]})


def _body(req, key):
    """The ``{key: {...}}`` request body's object, or a 400."""
    try:
        body = req.json_body()
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get(key), dict):
        raise exceptions.ValidationError(
            reason='the request body must be {"%s": {...}}.' % key)
    return body[key]


def _page_request(cloud, req, paginator):
    return paginator.request(
        req.args, max_limit=cloud.octavia.settings.pagination_max_limit)


def _listing(req, key, page, page_request):
    fields = req.args.getlist('fields')
    return http.json_response(200, {
        key: [pagination.select_fields(item.to_dict(), fields)
              for item in page],
        key + '_links': pagination.links(req.resource_url, req.args,
                                         page_request, page)})


def _shown(req, key, item):
    return http.json_response(200, {key: pagination.select_fields(
        item.to_dict(), req.args.getlist('fields'))})


def list_load_balancers(cloud, req):
    page_request = _page_request(cloud, req, pagination.LOAD_BALANCERS)
    filters = pagination.filters(req.args, models.LOAD_BALANCER_FIELDS,
                                 tagged=True)
    page = cloud.octavia.list_load_balancers(req.context, filters,
                                             page_request)
    return _listing(req, 'loadbalancers', page, page_request)


def show_load_balancer(cloud, req):
    lb = cloud.octavia.get_load_balancer(req.context, req.params['lb_id'])
    return _shown(req, 'loadbalancer', lb)


def show_status_tree(cloud, req):
    tree = cloud.octavia.get_status_tree(req.context, req.params['lb_id'])
    return http.json_response(200, {'statuses': {'loadbalancer': tree}})


def list_listeners(cloud, req):
    page_request = _page_request(cloud, req, pagination.LISTENERS)
    filters = pagination.filters(req.args, listeners.LISTENER_FILTER_FIELDS)
    page = cloud.octavia.listeners.list_listeners(req.context, filters,
                                                  page_request)
    return _listing(req, 'listeners', page, page_request)


def show_listener(cloud, req):
    listener = cloud.octavia.listeners.get_listener(
        req.context, req.params['listener_id'])
    return _shown(req, 'listener', listener)


def list_pools(cloud, req):
    page_request = _page_request(cloud, req, pagination.POOLS)
    filters = pagination.filters(req.args, listeners.POOL_FILTER_FIELDS)
    page = cloud.octavia.listeners.list_pools(req.context, filters,
                                              page_request)
    return _listing(req, 'pools', page, page_request)


def show_pool(cloud, req):
    pool = cloud.octavia.listeners.get_pool(req.context,
                                            req.params['pool_id'])
    return _shown(req, 'pool', pool)


def list_health_monitors(cloud, req):
    page_request = _page_request(cloud, req, pagination.HEALTH_MONITORS)
    filters = pagination.filters(req.args,
                                 listeners.HEALTH_MONITOR_FILTER_FIELDS)
    page = cloud.octavia.listeners.list_health_monitors(
        req.context, filters, page_request)
    return _listing(req, 'healthmonitors', page, page_request)


def show_health_monitor(cloud, req):
    monitor = cloud.octavia.listeners.get_health_monitor(
        req.context, req.params['healthmonitor_id'])
    return _shown(req, 'healthmonitor', monitor)


def list_members(cloud, req):
    page_request = _page_request(cloud, req, pagination.MEMBERS)
    filters = pagination.filters(req.args, listeners.MEMBER_FILTER_FIELDS)
    page = cloud.octavia.listeners.list_members(
        req.context, req.params['pool_id'], filters, page_request)
    return _listing(req, 'members', page, page_request)


def show_member(cloud, req):
    member = cloud.octavia.listeners.get_member(
        req.context, req.params['pool_id'], req.params['member_id'])
    return _shown(req, 'member', member)


def create_load_balancer(cloud, req):
    lb = cloud.octavia.post_load_balancer(req.context,
                                          _body(req, 'loadbalancer'))
    return http.json_response(201, {'loadbalancer': lb.to_dict()},
                              target_id=lb.id)


def delete_load_balancer(cloud, req):
    cloud.octavia.delete_load_balancer(req.context, req.params['lb_id'])
    return http.empty_response(204)


def list_flavors(cloud, req):
    page_request = _page_request(cloud, req, pagination.FLAVORS)
    filters = pagination.filters(req.args, models.FLAVOR_FIELDS)
    page = cloud.octavia.list_flavors(filters, page_request)
    return _listing(req, 'flavors', page, page_request)


def show_flavor(cloud, req):
    flavor = cloud.octavia.get_flavor(req.params['flavor_id'])
    return _shown(req, 'flavor', flavor)


def failover_load_balancer(cloud, req):
    cloud.octavia.failover_load_balancer(req.context, req.params['lb_id'])
    return http.empty_response(202)


def list_amphorae(cloud, req):
    page_request = _page_request(cloud, req, pagination.AMPHORAE)
    filters = pagination.filters(req.args, models.AMPHORA_FILTER_FIELDS)
    page = cloud.octavia.list_amphorae(filters, page_request)
    return _listing(req, 'amphorae', page, page_request)


def show_amphora(cloud, req):
    amphora = cloud.octavia.get_amphora(req.params['amphora_id'])
    return _shown(req, 'amphora', amphora)


def failover_amphora(cloud, req):
    cloud.octavia.failover_amphora(req.params['amphora_id'])
    return http.empty_response(202)


def configure_amphora(cloud, req):
    cloud.octavia.configure_amphora(req.params['amphora_id'])
    return http.empty_response(202)
