"""The HTTP layer: a request and response model and a keep-alive server.

``ThreadingHTTPServer`` with HTTP/1.1 keep-alive and daemon threads is
enough for 50 concurrent SDK clients; the server only parses and writes, and
hands every request to a dispatcher (see ``dispatcher.py``).
"""

import dataclasses
import http.server
import json
import logging
import socket
import threading
import urllib.parse
import uuid

LOG = logging.getLogger(__name__)

JSON_TYPE = 'application/json'


@dataclasses.dataclass
class Request:
    """One parsed request; ``path`` is relative to the service's prefix."""

    method: str
    raw_path: str
    query: dict
    headers: object
    body: bytes
    host_url: str
    path: str = ''
    params: dict = dataclasses.field(default_factory=dict)
    service_url: str = ''
    context: object = None

    def arg(self, name, default=None):
        """The last value of query parameter ``name``."""
        values = self.query.get(name)
        return values[-1] if values else default

    def args(self, name):
        """Every value of query parameter ``name``."""
        return list(self.query.get(name, ()))

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def json(self):
        """The body as JSON, or None when it is empty.

        :raises ValueError: when the body is not JSON.
        """
        if not self.body:
            return None
        return json.loads(self.body)

    @property
    def url(self):
        """The request's absolute URL without its query string."""
        return self.host_url + self.raw_path


class Response:
    """A status, headers and a JSON document or raw bytes."""

    __slots__ = ('status', 'headers', 'document', 'raw', 'content_type',
                 'target_id')

    def __init__(self, status, headers=None, document=None, raw=b'',
                 content_type=None, target_id=None):
        self.status = status
        self.headers = dict(headers or {})
        self.document = document
        self.raw = raw
        self.content_type = content_type
        self.target_id = target_id

    @classmethod
    def json(cls, status, document, headers=None, target_id=None):
        return cls(status, headers, document=document,
                   content_type=JSON_TYPE, target_id=target_id)

    @classmethod
    def empty(cls, status=204, headers=None, target_id=None):
        return cls(status, headers, target_id=target_id)

    @classmethod
    def text(cls, status, body, content_type, headers=None):
        return cls(status, headers, raw=body.encode('utf-8'),
                   content_type=content_type)

    def body_bytes(self):
        """Serialise; called outside the model lock (documents are copies)."""
        if self.document is not None:
            return json.dumps(self.document).encode('utf-8')
        return self.raw


class RequestHandler(http.server.BaseHTTPRequestHandler):
    """Parses a request, hands it to the dispatcher, writes the answer."""

    protocol_version = 'HTTP/1.1'
    server_version = 'octavia-maint-simulator'
    # Idle keep-alive connections are closed after this many seconds.
    timeout = 120
    # Headers and body go out in two writes; with Nagle on, the body waits
    # for the client's delayed ACK (40 ms a response).
    disable_nagle_algorithm = True

    def _handle(self):
        split = urllib.parse.urlsplit(self.path)
        host = (self.headers.get('Host')
                or '%s:%s' % self.server.server_address[:2])
        request = Request(
            method=self.command,
            raw_path=split.path,
            query=urllib.parse.parse_qs(split.query, keep_blank_values=True),
            headers=self.headers,
            body=self._read_body(),
            host_url='http://' + host)
        response = self.server.dispatch(request)
        body = response.body_bytes()
        self.send_response(response.status)
        if response.content_type:
            self.send_header('Content-Type', response.content_type)
        if response.status != 204:  # RFC 9110: a 204 has no length
            self.send_header('Content-Length', str(len(body)))
        self.send_header('X-Openstack-Request-Id', 'req-%s' % uuid.uuid4())
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != 'HEAD' and body:
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    def _read_body(self):
        if self.headers.get('Transfer-Encoding', '').lower() == 'chunked':
            return self._read_chunked()
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length else b''

    def _read_chunked(self):
        chunks = []
        while True:
            line = self.rfile.readline().split(b';')[0].strip()
            size = int(line or b'0', 16)
            if not size:
                # Skip trailers up to the blank line that ends the body.
                while self.rfile.readline() not in (b'\r\n', b'\n', b''):
                    pass
                return b''.join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def log_message(self, format, *args):  # noqa: A002 (stdlib signature)
        LOG.debug("%s %s", self.address_string(), format % args)


class HTTPServer(http.server.ThreadingHTTPServer):
    """Threaded keep-alive server that drops open connections on stop."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, dispatch):
        self.dispatch = dispatch
        self._connections = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, RequestHandler)

    def process_request(self, request, client_address):
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self):
        """Wake threads blocked on idle keep-alive connections so they end."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
