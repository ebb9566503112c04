"""One request's path through the simulator, as a WSGI application.

route → fault injection (latency, 503) → token check → model call under the
cloud lock (after advancing due events) → audit of mutating calls. Handlers
only parse, call one model method and build a response; everything shared
lives here once.
"""

import logging
import time
import uuid

from octavia_maint.simulator.core import errors
from octavia_maint.simulator.core import http as sim_http
from octavia_maint.simulator.core import routing

LOG = logging.getLogger(__name__)

FORBIDDEN = 'Policy does not allow this request to be performed.'
SERVICE_UNAVAILABLE = ('The server is currently unavailable. Please try again '
                       'at a later time.')


class Dispatcher:
    """Runs requests against a cloud (see ``cloud.Cloud``) through a router.

    The instance is the WSGI application the server runs.
    """

    def __init__(self, cloud, services, identity_prefix):
        self._cloud = cloud
        self._router = routing.Router(services)
        self._identity_prefix = identity_prefix

    def __call__(self, environ, start_response):
        response = self.dispatch(sim_http.Request(environ))
        response.encode()
        response.headers['X-Openstack-Request-Id'] = 'req-%s' % uuid.uuid4()
        return response(environ, start_response)

    def dispatch(self, request):
        try:
            service, route, params, service_path = self._router.resolve(
                request.method, request.path)
        except routing.NoRoute as exc:
            return self._no_route(exc)
        request.params, request.service_path = params, service_path
        request.service_url = request.origin + service.prefix
        cloud = self._cloud

        inject = False
        if service.emulated:
            with cloud.lock:
                cloud.stats.requests_total += 1
                latency, inject = cloud.faults.admit(
                    service.name, cloud.rng, request.method,
                    params.get('lb_id'))
                if inject:
                    cloud.stats.injected_errors += 1
            if latency:
                time.sleep(latency)

        with cloud.lock:
            cloud.advance()
            if inject:
                response = service.render_error(503, SERVICE_UNAVAILABLE)
            else:
                response = self._call(cloud, service, route, request)
            if service.emulated and route.audit:
                cloud.audit.record(
                    cloud.clock.now(), request.method, request.path,
                    response.target_id or _target_id(params),
                    response.status_code)
        if service.decorate:
            service.decorate(request, response)
        return response

    def _call(self, cloud, service, route, request):
        if route.authenticated:
            request.context = cloud.identity.validate(
                request.headers.get('X-Auth-Token'))
            if request.context is None:
                return errors.unauthorized(
                    request.origin + self._identity_prefix)
            if route.admin_only and not request.context.is_admin:
                return service.render_error(403, FORBIDDEN)
        try:
            return route.handler(cloud, request)
        except errors.ApiError as exc:
            return service.render_error(exc.code, exc.msg)
        except Exception:
            LOG.exception("Simulator handler %s failed on %s %s",
                          route.handler.__name__, request.method,
                          request.path)
            return service.render_error(500, 'Internal simulator error.')

    @staticmethod
    def _no_route(exc):
        message = errors.status_title(exc.status)
        if exc.service is None:
            return sim_http.text_response(exc.status, message,
                                          'text/plain')
        return exc.service.render_error(exc.status, message)


def _target_id(params):
    """The innermost ``*_id`` path parameter: what a mutating call changed."""
    ids = [value for name, value in params.items() if name.endswith('id')]
    return ids[-1] if ids else None
