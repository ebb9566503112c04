"""Octavia v2 routes under ``/load-balancer``, at both ``/v2`` and ``/v2.0``.

openstacksdk and the octavia CLI plugin call ``<endpoint>/v2.0/...``
without version discovery; Octavia serves the same API at ``/v2`` too.
"""

from octavia_maint.simulator.core import routing
from octavia_maint.simulator.octavia import exceptions
from octavia_maint.simulator.octavia import handlers

PREFIX = '/load-balancer'
CATALOG = ('load-balancer', 'octavia', PREFIX)
_V2 = "/<any('v2.0', 'v2'):version>"
_LB = _V2 + '/lbaas/loadbalancers/<lb_id>'
_AMPHORA = _V2 + '/octavia/amphorae/<amphora_id>'
_LISTENERS = _V2 + '/lbaas/listeners'
_POOLS = _V2 + '/lbaas/pools'
_MEMBERS = _POOLS + '/<pool_id>/members'
_HEALTH_MONITORS = _V2 + '/lbaas/healthmonitors'

SERVICE = routing.Service(
    name='load-balancer',
    prefix=PREFIX,
    render_error=exceptions.render_error,
    routes=(
        routing.Route('GET', '/', handlers.versions, authenticated=False),
        routing.Route('GET', _V2 + '/lbaas/loadbalancers',
                      handlers.list_load_balancers),
        routing.Route('POST', _V2 + '/lbaas/loadbalancers',
                      handlers.create_load_balancer),
        routing.Route('GET', _LB, handlers.show_load_balancer),
        routing.Route('DELETE', _LB, handlers.delete_load_balancer),
        routing.Route('GET', _LB + '/status', handlers.show_status_tree),
        routing.Route('GET', _LISTENERS, handlers.list_listeners),
        routing.Route('GET', _LISTENERS + '/<listener_id>',
                      handlers.show_listener),
        routing.Route('GET', _POOLS, handlers.list_pools),
        routing.Route('GET', _POOLS + '/<pool_id>', handlers.show_pool),
        routing.Route('GET', _HEALTH_MONITORS, handlers.list_health_monitors),
        routing.Route('GET', _HEALTH_MONITORS + '/<healthmonitor_id>',
                      handlers.show_health_monitor),
        routing.Route('GET', _MEMBERS, handlers.list_members),
        routing.Route('GET', _MEMBERS + '/<member_id>',
                      handlers.show_member),
        routing.Route('GET', _V2 + '/lbaas/flavors', handlers.list_flavors),
        routing.Route('GET', _V2 + '/lbaas/flavors/<flavor_id>',
                      handlers.show_flavor),
        routing.Route('PUT', _LB + '/failover',
                      handlers.failover_load_balancer, admin_only=True),
        routing.Route('GET', _V2 + '/octavia/amphorae',
                      handlers.list_amphorae, admin_only=True),
        routing.Route('GET', _AMPHORA, handlers.show_amphora,
                      admin_only=True),
        routing.Route('PUT', _AMPHORA + '/failover',
                      handlers.failover_amphora, admin_only=True),
        routing.Route('PUT', _AMPHORA + '/config',
                      handlers.configure_amphora, admin_only=True),
    ),
)
