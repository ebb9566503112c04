"""Routes declared as data, and the router that resolves a path to one.

Each service package declares a :class:`Service`: a path prefix, a list of
:class:`Route` (method, pattern, handler) and how it renders errors. Pattern
segments ``{name}`` match one path segment, ``{name:regex}`` a regex.
"""

import dataclasses
import re
import typing

MUTATING_METHODS = frozenset(('POST', 'PUT', 'PATCH', 'DELETE'))
_PARAM = re.compile(r'{(\w+)(?::([^}]+))?}')


def _compile(pattern):
    regex, position = '', 0
    for match in _PARAM.finditer(pattern):
        regex += re.escape(pattern[position:match.start()])
        regex += '(?P<%s>%s)' % (match.group(1), match.group(2) or '[^/]+')
        position = match.end()
    regex += re.escape(pattern[position:].rstrip('/'))
    return re.compile('^%s/?$' % regex)


@dataclasses.dataclass(frozen=True)
class Route:
    """One API operation: ``handler(cloud, request) -> Response``.

    :param audited: whether a mutating call goes to the audit log (issuing
        a token is a POST but changes nothing in the cloud).
    """

    method: str
    pattern: str
    handler: typing.Callable
    authenticated: bool = True
    admin_only: bool = False
    audited: bool = True
    regex: re.Pattern = dataclasses.field(init=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, 'regex', _compile(self.pattern))

    @property
    def audit(self):
        """Whether a call of this route belongs in the audit log."""
        return self.audited and self.method in MUTATING_METHODS


@dataclasses.dataclass(frozen=True)
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
    """Finds the service and route for a method and path."""

    def __init__(self, services):
        # Longest prefix first, so '/identity' never shadows a longer one.
        self._services = sorted(services, key=lambda s: -len(s.prefix))

    def resolve(self, method, raw_path):
        """:returns: ``(service, route, params, relative_path)``.

        :raises NoRoute: with 404, or 405 when only the method is wrong.
        """
        for service in self._services:
            if raw_path == service.prefix or raw_path.startswith(
                    service.prefix + '/'):
                relative = raw_path[len(service.prefix):] or '/'
                return self._match(service, method, relative)
        raise NoRoute(None, 404)

    @staticmethod
    def _match(service, method, relative):
        path_matched = False
        for route in service.routes:
            match = route.regex.match(relative)
            if not match:
                continue
            if route.method == method or (
                    method == 'HEAD' and route.method == 'GET'):
                return service, route, match.groupdict(), relative
            path_matched = True
        raise NoRoute(service, 405 if path_matched else 404)
