"""The HTTP layer: werkzeug's request, response and threaded server.

werkzeug parses requests (chunked bodies included), routes them, builds
responses and serves each connection in its own daemon thread, as moto's
server mode does; the simulator adds what its handlers share (typed query
arguments, a JSON body that may be empty, a response whose JSON document
is encoded after the cloud lock is released, see ``dispatcher.py``) and
keeps connections open between requests (see :class:`RequestHandler`).
"""

import json
import logging
import socket
import threading
import urllib.parse

from werkzeug import serving
from werkzeug import utils
from werkzeug import wrappers
from werkzeug import wsgi

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
    """werkzeug's handler, keeping HTTP/1.1 connections open, logging at
    DEBUG (werkzeug's own log goes to stderr at INFO).

    werkzeug's own ``run_wsgi`` closes every connection, because
    ``http.server`` cannot tell where an unread body ends; here the body is
    always read to its end (``Content-Length`` or the last chunk) before the
    answer goes out, so the next request line is where the client put it.
    A connection per request would halve what 50 clients get: each new
    one costs an accept and a thread start, each waiting for the GIL.
    Parsing (``make_environ``, the chunked decoder) and the response's
    headers and body are werkzeug's; this only writes them.
    """

    protocol_version = 'HTTP/1.1'
    server_version = SERVER_VERSION
    timeout = IDLE_TIMEOUT
    # Headers and body are buffered and sent together when the request is
    # answered (http.server flushes after each one): one send instead of
    # two. A body larger than the buffer still goes in a second write, which
    # with Nagle on would wait for the client's delayed ACK (40 ms).
    wbufsize = 1 << 16
    disable_nagle_algorithm = True

    def setup(self):
        super().setup()
        self.server.connections.add(self.connection)

    def finish(self):
        self.server.connections.discard(self.connection)
        super().finish()

    def run_wsgi(self):
        if self.headers.get('Expect', '').lower().strip() == '100-continue':
            self.wfile.write(b'HTTP/1.1 100 Continue\r\n\r\n')
        environ = self.make_environ()
        body = self._body_stream(environ)
        answer = []
        app_iter = self.server.app(
            environ, lambda status, headers, exc_info=None: answer.extend(
                (status, headers)))
        try:
            chunks = list(app_iter)
        finally:
            if hasattr(app_iter, 'close'):
                app_iter.close()
        while body.read(1 << 16):
            pass
        status, headers = answer
        code, _sep, reason = status.partition(' ')
        self.send_response(int(code), reason)
        for name, value in headers:
            self.send_header(name, value)
        if not any(name.lower() == 'content-length' for name, _ in headers) \
                and int(code) not in (204, 304) and self.command != 'HEAD':
            # Without a length only the end of the connection ends the body.
            self.send_header('Connection', 'close')
        self.end_headers()
        for chunk in chunks:
            self.wfile.write(chunk)

    def _body_stream(self, environ):
        """The request body, limited to its length, as the app's input."""
        if environ.get('wsgi.input_terminated'):
            return environ['wsgi.input']  # werkzeug's chunked decoder
        try:
            length = max(0, int(environ.get('CONTENT_LENGTH') or 0))
        except ValueError:
            length, self.close_connection = 0, True
        environ['wsgi.input'] = wsgi.LimitedStream(self.rfile, length)
        return environ['wsgi.input']

    def log_request(self, code='-', size='-'):
        # werkzeug's decodes and colours the path even when nobody logs it.
        LOG.debug('%s "%s" %s %s', self.address_string(), self.requestline,
                  code, size)

    def log(self, type, message, *args):  # noqa: A002 (werkzeug's names)
        LOG.debug('%s ' + message, self.address_string(), *args)


class Connections:
    """The open connections of one server, to close when it stops (an
    idle keep-alive one would otherwise keep serving a stopped cloud)."""

    def __init__(self):
        self._sockets = set()
        self._lock = threading.Lock()

    def add(self, sock):
        with self._lock:
            self._sockets.add(sock)

    def discard(self, sock):
        with self._lock:
            self._sockets.discard(sock)

    def close_all(self):
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def make_server(host, port, app):
    """A threaded server for the WSGI ``app``; port 0 picks a free one.

    Its ``connections`` are closed by :meth:`Connections.close_all`.
    """
    server = serving.make_server(host, port, app, threaded=True,
                                 request_handler=RequestHandler)
    server.connections = Connections()
    return server
