"""API-shaped errors and the one error every service shares (a bad token).

Models raise :class:`ApiError` subclasses named after the real service's
exceptions, with the real message templates; each service's
``exceptions.py`` renders them in that service's wire format. The core turns
any ``ApiError`` into a response through the service that raised it.
"""

import http

from octavia_maint.simulator.core import http as sim_http

TOKEN_REQUIRED = 'The request you have made requires authentication.'


class ApiError(Exception):
    """An error answered to the client.

    ``message`` is a ``%(field)s`` template filled from keyword arguments.
    """

    code = 500
    message = 'An unknown error occurred.'

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.msg = self.message % kwargs
        super().__init__(self.msg)


def status_title(code):
    """The reason phrase of an HTTP status, e.g. ``Not Found``."""
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return 'Error'


def keystone_error(code, message, headers=None):
    """Keystone's (and keystonemiddleware's) error body."""
    return sim_http.json_response(
        code,
        {'error': {'code': code, 'title': status_title(code),
                   'message': message}},
        headers=headers)


def unauthorized(auth_url):
    """keystonemiddleware's answer to a bad token, before any service."""
    return keystone_error(
        401, TOKEN_REQUIRED,
        headers={'WWW-Authenticate': 'Keystone uri="%s"' % auth_url})
