"""Keystone v3 routes, under ``/identity`` (the auth URL, as in devstack)."""

from octavia_maint.simulator.core import routing
from octavia_maint.simulator.identity import exceptions
from octavia_maint.simulator.identity import handlers

PREFIX = '/identity'
CATALOG = ('identity', 'keystone', PREFIX)

SERVICE = routing.Service(
    name='identity',
    prefix=PREFIX,
    render_error=exceptions.render_error,
    routes=(
        routing.Route('GET', '/', handlers.versions, authenticated=False),
        routing.Route('GET', '/v3', handlers.version, authenticated=False),
        routing.Route('POST', '/v3/auth/tokens', handlers.issue_token,
                      authenticated=False, audited=False),
        routing.Route('GET', '/v3/auth/tokens', handlers.validate_token),
        routing.Route('GET', '/v3/projects', handlers.list_projects,
                      admin_only=True),
        routing.Route('POST', '/v3/projects', handlers.create_project,
                      admin_only=True),
        routing.Route('GET', '/v3/projects/<project_id>',
                      handlers.show_project, admin_only=True),
    ),
)
