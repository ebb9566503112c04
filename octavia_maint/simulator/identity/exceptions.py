"""Keystone's errors: ``{"error": {"code", "title", "message"}}``."""

from octavia_maint.simulator.core import errors


def render_error(code, message):
    return errors.keystone_error(code, message)


class Unauthorized(errors.ApiError):
    code = 401
    message = errors.TOKEN_REQUIRED


class ValidationError(errors.ApiError):
    code = 400
    message = ('Expecting to find %(attribute)s in %(target)s. The server '
               'could not comply with the request since it is either '
               'malformed or otherwise incorrect. The client is assumed to '
               'be in error.')


class ProjectNotFound(errors.ApiError):
    code = 404
    message = 'Could not find project: %(project_id)s.'


class ProjectConflict(errors.ApiError):
    code = 409
    message = ('Conflict occurred attempting to store project - it is not '
               'permitted to have two projects with the same name in the '
               'same domain : %(name)s.')
