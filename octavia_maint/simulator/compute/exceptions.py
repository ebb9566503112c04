"""Nova's errors, rendered as ``{"<faultName>": {"code", "message"}}``."""

from octavia_maint.simulator.core import errors
from octavia_maint.simulator.core import http

# Nova's wsgi.Fault names by status code; anything else is a computeFault.
FAULT_NAMES = {400: 'badRequest', 401: 'unauthorized', 403: 'forbidden',
               404: 'itemNotFound', 405: 'badMethod',
               409: 'conflictingRequest', 413: 'overLimit',
               415: 'badMediaType', 429: 'overLimit',
               501: 'notImplemented', 503: 'serviceUnavailable'}


def render_error(code, message):
    name = FAULT_NAMES.get(code, 'computeFault')
    return http.json_response(code, {name: {'code': code,
                                            'message': message}})


class InstanceNotFound(errors.ApiError):
    code = 404
    message = 'Instance %(instance_id)s could not be found.'


class ServiceNotFound(errors.ApiError):
    code = 404
    message = 'Service %(service_id)s could not be found.'


class UnknownAction(errors.ApiError):
    code = 404
    message = 'Unknown action'


class BadRequest(errors.ApiError):
    code = 400
    message = '%(reason)s'


class Forbidden(errors.ApiError):
    code = 403
    message = "Policy doesn't allow %(rule)s to be performed."


class VersionNotSupported(errors.ApiError):
    code = 406
    message = ('Version %(version)s is not supported by the API. Minimum is '
               '%(min)s and maximum is %(max)s.')
