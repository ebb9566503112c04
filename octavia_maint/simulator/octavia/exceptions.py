"""Octavia's API errors with Octavia's messages, in WSME's fault format.

The body is ``{"faultcode": "Client", "faultstring": ..., "debuginfo": null}``
("Server" for 5xx), as Octavia's pecan/WSME API answers.
"""

from octavia_maint.simulator.core import errors
from octavia_maint.simulator.core import http


def render_error(code, message):
    return http.json_response(code, {
        'faultcode': 'Server' if code >= 500 else 'Client',
        'faultstring': message,
        'debuginfo': None})


class NotFound(errors.ApiError):
    code = 404
    message = '%(resource)s %(id)s not found.'


class ImmutableObject(errors.ApiError):
    code = 409
    message = '%(resource)s %(id)s is immutable and cannot be updated.'


class LBPendingStateError(errors.ApiError):
    code = 409
    message = 'Invalid state %(state)s of loadbalancer resource %(id)s'


class InvalidFilterArgument(errors.ApiError):
    code = 400
    message = 'One or more arguments are either duplicate or invalid'


class InvalidSortKey(errors.ApiError):
    code = 400
    message = "Supplied sort key '%(key)s' is not valid."


class InvalidSortDirection(errors.ApiError):
    code = 400
    message = "Supplied sort direction '%(key)s' is not valid."


class InvalidMarker(errors.ApiError):
    code = 400
    message = "Supplied pagination marker '%(key)s' is not valid."


class InvalidLimit(errors.ApiError):
    code = 400
    message = "Supplied pagination limit '%(key)s' is not valid."


class ProviderUnsupportedOptionError(errors.ApiError):
    code = 501
    message = ("Provider '%(prov)s' does not support a requested option: "
               "%(user_msg)s")


class PolicyForbidden(errors.ApiError):
    code = 403
    message = 'Policy does not allow this request to be performed.'


class ValidationError(errors.ApiError):
    code = 400
    message = 'Validation failure: %(reason)s'


class InvalidInput(errors.ApiError):
    code = 400
    message = ('Invalid input for field/attribute %(attribute)s. Value: '
               "'%(value)s'. %(reason)s")
