"""Nova routes, under ``/compute`` (catalog endpoint ``/compute/v2.1``)."""

from octavia_maint.simulator.compute import exceptions
from octavia_maint.simulator.compute import handlers
from octavia_maint.simulator.compute import microversion
from octavia_maint.simulator.core import routing

PREFIX = '/compute'
CATALOG = ('compute', 'nova', PREFIX + '/v2.1')

SERVICE = routing.Service(
    name='compute',
    prefix=PREFIX,
    render_error=exceptions.render_error,
    decorate=microversion.decorate,
    routes=(
        routing.Route('GET', '/', handlers.versions, authenticated=False),
        routing.Route('GET', '/v2.1', handlers.version, authenticated=False),
        routing.Route('GET', '/v2.1/servers', handlers.list_servers),
        routing.Route('GET', '/v2.1/servers/detail',
                      handlers.list_servers_detail),
        routing.Route('GET', '/v2.1/servers/<server_id>',
                      handlers.show_server),
        routing.Route('DELETE', '/v2.1/servers/<server_id>',
                      handlers.delete_server),
        routing.Route('GET', '/v2.1/os-services', handlers.list_services,
                      admin_only=True),
        routing.Route('PUT', '/v2.1/os-services/<service_id>',
                      handlers.update_service, admin_only=True),
    ),
)
