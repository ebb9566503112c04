"""Glance's errors: webob pages in ``text/html`` (the SDK reads the lines)."""

from octavia_maint.simulator.core import errors
from octavia_maint.simulator.core import http

_PAGE = """<html>
 <head>
  <title>%(status)s</title>
 </head>
 <body>
  <h1>%(status)s</h1>
  %(message)s<br /><br />



 </body>
</html>"""


def render_error(code, message):
    status = '%d %s' % (code, errors.status_title(code))
    return http.text_response(code, _PAGE % {'status': status,
                                             'message': message},
                              'text/html; charset=UTF-8')


class ImageNotFound(errors.ApiError):
    code = 404
    message = 'No image found with ID %(image_id)s'


class TagNotFound(errors.ApiError):
    code = 404
    message = 'Tag %(tag)s not found.'


class ReadOnlyAttribute(errors.ApiError):
    code = 403
    message = "Attribute '%(attribute)s' is read-only."


class ProtectedImageDelete(errors.ApiError):
    code = 403
    message = 'Image %(image_id)s is protected and cannot be deleted.'


class InvalidStatusTransition(errors.ApiError):
    code = 409
    message = ('Image status transition from %(current)s to %(target)s is '
               'not allowed')


class BadRequest(errors.ApiError):
    code = 400
    message = '%(reason)s'


class UnsupportedMediaType(errors.ApiError):
    code = 415
    message = 'Unsupported Content-Type: %(content_type)s'
