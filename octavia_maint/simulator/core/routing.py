"""Routes declared as data, and the werkzeug map that resolves them.

Each service package declares a :class:`Service`: a path prefix, a list of
:class:`Route` (method, werkzeug rule below the prefix, handler) and how it
renders errors. The :class:`Router` puts every service's routes in one
``werkzeug.routing.Map``.
"""

import dataclasses
import functools
import typing

from werkzeug import exceptions as http_exceptions
from werkzeug import routing

MUTATING_METHODS = frozenset(('POST', 'PUT', 'PATCH', 'DELETE'))
# Paths whose match is remembered: werkzeug's matcher costs about as much
# as a whole ``GET`` of one load balancer, and clients ask the same
# resources again and again (a fleet's LBs, their amphorae).
CACHED_MATCHES = 1 << 14


# eq=False: routes and services are werkzeug endpoints, hashed on every
# match; by identity that costs nothing (by value, every route of a
# service).
@dataclasses.dataclass(frozen=True, eq=False)
class Route:
    """One API operation: ``handler(cloud, request) -> Response``.

    :param path: a werkzeug rule below the service's prefix, e.g.
        ``/v2.1/servers/<server_id>``.
    :param audited: whether a mutating call goes to the audit log (issuing
        a token is a POST but changes nothing in the cloud).
    """

    method: str
    path: str
    handler: typing.Callable
    authenticated: bool = True
    admin_only: bool = False
    audited: bool = True

    @property
    def audit(self):
        """Whether a call of this route belongs in the audit log."""
        return self.audited and self.method in MUTATING_METHODS


@dataclasses.dataclass(frozen=True, eq=False)
class Service:
    """An emulated API (or the control plane) under one path prefix.

    :param name: the catalog service type, e.g. ``load-balancer``.
    :param render_error: ``(status, message) -> Response`` in the wire format.
    :param emulated: an OpenStack API (counted, audited, faults apply) rather
        than the simulator's own control plane.
    :param decorate: optional ``(request, response) -> None`` run on every
        answer, e.g. Nova's microversion headers.
    """

    name: str
    prefix: str
    routes: tuple
    render_error: typing.Callable
    emulated: bool = True
    decorate: typing.Optional[typing.Callable] = None


class NoRoute(Exception):
    """No route matched; ``service`` is set when the prefix matched one."""

    def __init__(self, service, status):
        super().__init__(status)
        self.service = service
        self.status = status


class Router:
    """Finds the service and route for a method and path.

    A path matches with or without a trailing slash and is never
    redirected, as the services' own routers (routes, pecan) take both.
    """

    def __init__(self, services):
        # Longest prefix first, so '/identity' never shadows a longer one.
        self._services = sorted(services, key=lambda s: -len(s.prefix))
        self._map = routing.Map(
            [routing.Rule(service.prefix + route.path.rstrip('/'),
                          methods=[route.method],
                          endpoint=(service, route))
             for service in self._services for route in service.routes],
            strict_slashes=False, merge_slashes=False)
        self._adapter = self._map.bind('simulator')
        self._match = functools.lru_cache(maxsize=CACHED_MATCHES)(
            self._match_uncached)

    def resolve(self, method, path):
        """:returns: ``(service, route, params, service_path)``.

        :raises NoRoute: with 404, or 405 when only the method is wrong.
        """
        service, route, params = self._match(method, path)
        return (service, route, dict(params),
                path[len(service.prefix):] or '/')

    def _match_uncached(self, method, path):
        try:
            (service, route), params = self._adapter.match(
                path.rstrip('/') or '/', method)
        except http_exceptions.HTTPException as exc:
            raise NoRoute(self._service_of(path), exc.code) from None
        return service, route, params

    def _service_of(self, path):
        for service in self._services:
            if path == service.prefix or path.startswith(
                    service.prefix + '/'):
                return service
        return None
