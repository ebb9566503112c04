"""The HTTP layer: werkzeug's request, response and threaded server.

werkzeug parses requests (chunked bodies included), writes responses and
serves each connection in its own daemon thread, as moto's server mode
does; the simulator adds only what its handlers share: typed query
arguments, a JSON body that may be empty, and a response whose JSON
document is encoded after the cloud lock is released (see
``dispatcher.py``).
"""

import json
import logging
import urllib.parse

from werkzeug import serving
from werkzeug import utils
from werkzeug import wrappers

LOG = logging.getLogger(__name__)

JSON_TYPE = 'application/json'
SERVER_VERSION = 'octavia-maint-simulator'
# Idle connections are closed after this many seconds.
IDLE_TIMEOUT = 120


class Request(wrappers.Request):
    """One request; the dispatcher fills in what routing found.

    :ivar params: the path parameters of the matched route.
    :ivar service_path: the path below the service's prefix.
    :ivar service_url: the absolute URL of the service's prefix.
    :ivar context: the token the request carries, once validated.
    """

    params = {}
    service_path = ''
    service_url = ''
    context = None

    @utils.cached_property
    def origin(self):
        """``http://host:port``: where the client reached us (werkzeug's
        ``host_url`` builds an IRI each time and ends in a slash)."""
        return '%s://%s' % (self.scheme, self.host)

    @utils.cached_property
    def resource_url(self):
        """The absolute URL of the path asked for, without the query."""
        return self.origin + urllib.parse.quote(self.path)

    def last_arg(self, name, default=None, type=None):  # noqa: A002
        """The last value of query parameter ``name``, as OpenStack's
        services read a repeated one, converted by ``type``.

        :raises ValueError: when ``type`` refuses the value.
        """
        values = self.args.getlist(name)
        if not values:
            return default
        return values[-1] if type is None else type(values[-1])

    def json_body(self):
        """The body as JSON, or None when it is empty.

        :raises ValueError: when the body is not JSON.
        """
        data = self.get_data()
        if not data:
            return None
        return json.loads(data)


class Response(wrappers.Response):
    """A werkzeug response that may carry a JSON document to encode later.

    No default content type: an empty answer (202, 204) has none, as the
    services send it.

    :ivar document: the JSON document, or None for a raw body.
    :ivar target_id: what a mutating call changed, for the audit log.
    """

    default_mimetype = None
    document = None
    target_id = None

    def encode(self):
        """Serialise the document; called outside the cloud lock (the
        handlers' documents are copies)."""
        if self.document is not None:
            self.set_data(json.dumps(self.document))


def json_response(status, document, headers=None, target_id=None):
    response = Response(status=status, headers=headers,
                        content_type=JSON_TYPE)
    response.document = document
    response.target_id = target_id
    return response


def empty_response(status=204, headers=None, target_id=None):
    response = Response(status=status, headers=headers)
    response.target_id = target_id
    return response


def text_response(status, body, content_type, headers=None):
    return Response(body, status=status, headers=headers,
                    content_type=content_type)


class RequestHandler(serving.WSGIRequestHandler):
    """werkzeug's handler with the simulator's name, no Nagle delay and
    its access log at DEBUG (werkzeug's own goes to stderr at INFO)."""

    server_version = SERVER_VERSION
    timeout = IDLE_TIMEOUT
    # Headers and body go out in two writes; with Nagle on, the body waits
    # for the client's delayed ACK (40 ms a response).
    disable_nagle_algorithm = True

    def log(self, type, message, *args):  # noqa: A002 (werkzeug's names)
        LOG.debug("%s %s", self.address_string(), message % args)


def make_server(host, port, app):
    """A threaded server for the WSGI ``app``; port 0 picks a free one."""
    return serving.make_server(host, port, app, threaded=True,
                               request_handler=RequestHandler)
