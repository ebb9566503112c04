"""Control-plane routes under ``/_sim``."""

from octavia_maint.simulator.control import handlers
from octavia_maint.simulator.core import routing


def _route(method, pattern, handler):
    return routing.Route(method, pattern, handler, authenticated=False)


SERVICE = routing.Service(
    name='control',
    prefix='/_sim',
    render_error=handlers.render_error,
    emulated=False,
    routes=(
        _route('GET', '/stats', handlers.stats),
        _route('GET', '/audit', handlers.audit),
        _route('POST', '/reset', handlers.reset),
        _route('GET', '/faults', handlers.show_faults),
        _route('PUT', '/faults', handlers.update_faults),
        _route('GET', '/heartbeat', handlers.show_heartbeat),
        _route('PUT', '/heartbeat', handlers.update_heartbeat),
        _route('GET', '/certificates', handlers.show_certificates),
        _route('PUT', '/certificates', handlers.update_certificates),
        _route('GET', '/time', handlers.show_time),
        _route('PUT', '/time', handlers.update_time),
        _route('GET', '/transitions', handlers.show_transitions),
        _route('PUT', '/transitions', handlers.update_transitions),
        _route('GET', '/fleet', handlers.show_fleet),
        _route('PUT', '/amphorae/<amphora_id>', handlers.update_amphora),
        _route('POST', '/servers', handlers.register_servers),
    ),
)
