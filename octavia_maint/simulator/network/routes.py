"""Neutron routes under ``/networking``: version discovery only."""

from octavia_maint.simulator.core import http
from octavia_maint.simulator.core import routing

PREFIX = '/networking'
CATALOG = ('network', 'neutron', PREFIX)


def render_error(code, message):
    return http.json_response(code, {'NeutronError': {
        'type': 'HTTP%s' % message.replace(' ', ''), 'message': message,
        'detail': ''}})


def versions(cloud, req):
    return http.json_response(200, {'versions': [{
        'id': 'v2.0', 'status': 'CURRENT',
        'links': [{'href': req.service_url + '/v2.0/', 'rel': 'self'}]}]})


SERVICE = routing.Service(
    name='network',
    prefix=PREFIX,
    render_error=render_error,
    routes=(routing.Route('GET', '/', versions, authenticated=False),),
)
