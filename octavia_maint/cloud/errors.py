"""Turn openstacksdk and keystoneauth1 failures into our exceptions, once.

Every layer above ``cloud/`` (tasks, reports, the CLI) sees only the classes
of :mod:`octavia_maint.common.exceptions`, so none of them has to know which
library failed or which of its many exception classes it chose. This module
also judges the failures for the retry policy (:mod:`.retry`):

* *transient*: the same call may well succeed if made again (HTTP 5xx or 429,
  a lost connection, an identity service that answered 5xx);
* *surely not applied*: the cloud cannot have acted on the request (the TCP
  connection was never established, HTTP 503/429, or the token request failed
  so the service request was never sent). Only these allow repeating a call
  that is not idempotent, such as a failover.

Messages carry the HTTP status, the API that answered, the service's own
explanation (Octavia's ``faultstring``) and URLs, never request headers, so
never a token. They never repeat openstacksdk's own wording of an error
status: for any failed ``get_*`` it says "No LoadBalancer found for ...",
whatever the status, so a 503 would read as a missing load balancer.
"""

import contextlib
import logging

from keystoneauth1 import exceptions as ksa_exc
from openstack import exceptions as sdk_exc
import requests
from urllib3 import exceptions as urllib3_exc

from octavia_maint.common import exceptions

LOG = logging.getLogger(__name__)

# Statuses with which a server refuses a request before acting on it: 503
# (overloaded, or a proxy found no backend) and 429 (rate limited).
_REFUSED_STATUSES = frozenset((429, 503))

# keystoneauth1 errors that mean the identity service rejected who we are.
_AUTH_ERRORS = (ksa_exc.Unauthorized, ksa_exc.Forbidden,
                ksa_exc.AuthorizationFailure, ksa_exc.AuthPluginException,
                ksa_exc.MissingAuthMethods)

# Errors that mean the catalog or version discovery found no usable endpoint.
_ENDPOINT_ERRORS = (ksa_exc.CatalogException, ksa_exc.DiscoveryFailure,
                    sdk_exc.EndpointNotFound,
                    sdk_exc.ServiceDiscoveryException)


@contextlib.contextmanager
def translated(resource, resource_id=None, api=None):
    """Re-raise SDK and keystoneauth1 errors as our exceptions.

    :param resource: what the call is about, for the message
        (``'Load balancer'``).
    :param resource_id: the id it was called with, if any.
    :param api: the API serving it (``'load-balancer (Octavia)'``).
    Anything that is not a cloud error (a bug, ``KeyboardInterrupt``) passes
    through untouched.
    """
    try:
        yield
    except exceptions.OctaviaMaintError:
        raise
    except Exception as exc:
        ours = translate(exc, resource, resource_id, api=api)
        if ours is None:
            raise
        LOG.debug("%s %s: %s became %s", resource, resource_id,
                  type(exc).__name__, type(ours).__name__)
        raise ours from exc


def translate(exc, resource, resource_id=None, api=None):
    """Return our exception for a library exception, or None if not ours."""
    exc = _underlying(exc)
    if isinstance(exc, sdk_exc.HttpException):
        if _is_server_trouble(exc.status_code):
            return exceptions.ServiceUnavailable(
                api=api or resource, status=_status_line(exc),
                request=_request_line(exc),
                details=(_details(exc) or '').rstrip('.'))
        return _from_status(exc.status_code, _details(exc), resource,
                            resource_id)
    if isinstance(exc, sdk_exc.InvalidResourceQuery):
        return exceptions.BadRequest(reason=str(exc))
    if isinstance(exc, _AUTH_ERRORS):
        return exceptions.AuthenticationFailed(reason=str(exc))
    if isinstance(exc, ksa_exc.HttpServerError):
        return exceptions.CloudUnavailable(
            reason='the identity service answered HTTP %s' % exc.http_status)
    if isinstance(exc, ksa_exc.HttpError):
        return exceptions.AuthenticationFailed(
            reason='the identity service answered HTTP %s (%s); check '
                   'auth_url' % (exc.http_status, exc.message))
    if isinstance(exc, ksa_exc.ConnectionError):
        return exceptions.CloudUnavailable(reason=str(exc))
    if isinstance(exc, _ENDPOINT_ERRORS):
        return exceptions.CloudUnavailable(
            reason='no usable endpoint for the %s API (%s); check the '
                   'catalog, region_name and interface' % (resource, exc))
    if isinstance(exc, (sdk_exc.SDKException, ksa_exc.ClientException)):
        return exceptions.CloudError(reason=str(exc))
    return None


def describe(exc):
    """One line on a library error, for logs: what the server said.

    openstacksdk's own text of an HTTP error starts with the message of
    the call (``No LoadBalancer found for <id>``) whatever the status.
    """
    exc = _underlying(exc)
    if isinstance(exc, sdk_exc.HttpException):
        return 'HTTP %s to %s: %s' % (_status_line(exc), _request_line(exc),
                                      _details(exc))
    return '%s: %s' % (type(exc).__name__, exc)


def is_transient(exc):
    """Whether the same call may succeed if it is made again."""
    exc = _underlying(exc)
    if isinstance(exc, sdk_exc.HttpException):
        return _is_server_trouble(exc.status_code)
    if isinstance(exc, ksa_exc.SSLError):
        return False  # a certificate problem does not heal by itself
    return isinstance(exc, (ksa_exc.ConnectionError, ksa_exc.HttpServerError))


def was_surely_not_applied(exc):
    """Whether the cloud surely did not act on the failed request.

    Only then may a call that is not idempotent (failover, configure,
    delete, create) be repeated: a 500, a read timeout or a connection
    dropped after the request was sent may hide a change that did happen,
    and repeating a failover would fail the load balancer over twice.
    """
    exc = _underlying(exc)
    if isinstance(exc, sdk_exc.HttpException):
        return exc.status_code in _REFUSED_STATUSES
    if isinstance(exc, ksa_exc.HttpServerError):
        # openstacksdk sends service requests with raise_exc=False, so a
        # keystoneauth1 HTTP error comes from getting a token or discovering
        # versions: the service request itself was never sent.
        return True
    if isinstance(exc, ksa_exc.ConnectionError):
        return _never_connected(exc)
    return False


def _is_server_trouble(status):
    return status is not None and (status >= 500 or status == 429)


def _from_status(status, details, resource, resource_id):
    """Map one HTTP error status of a service API to our exception."""
    said = '%s API answered HTTP %s: %s' % (resource, status, details)
    if status == 400:
        return exceptions.BadRequest(reason=details)
    if status in (401, 403):
        return exceptions.AuthenticationFailed(reason=said)
    if status == 404:
        if resource_id is None:
            # A collection that does not exist means a wrong endpoint.
            return exceptions.CloudUnavailable(reason=said)
        return exceptions.NotFound(resource=resource, id=resource_id)
    if status == 409 and resource_id is not None:
        return exceptions.Conflict(resource=resource, id=resource_id,
                                   reason=details)
    return exceptions.CloudError(reason=said)


def _status_line(exc):
    """``503 Service Unavailable``."""
    response = getattr(exc, 'response', None)
    reason = getattr(response, 'reason', None)
    return ('%s %s' % (exc.status_code, reason) if reason
            else str(exc.status_code))


def _request_line(exc):
    """``GET http://.../loadbalancers/<id>`` (never a header)."""
    return ' '.join(part for part in (exc.method, exc.url) if part) or (
        'a request')


def _details(exc):
    """The server's own explanation (Octavia's faultstring), else the text."""
    return exc.details or exc.message


def _underlying(exc):
    """Unwrap openstacksdk's generic wrappers to the error that caused them.

    ``image.create_image`` wraps any non-SDK failure, a refused connection
    included, in a plain ``SDKException('Image creation failed: ...')``.
    """
    while (type(exc) is sdk_exc.SDKException
           and isinstance(exc.__cause__, (sdk_exc.SDKException,
                                          ksa_exc.ClientException))):
        exc = exc.__cause__
    return exc


def _never_connected(exc):
    """Whether a connection error happened before a TCP connection existed.

    keystoneauth1 raises its ``ConnectFailure`` while handling the requests
    error, which wraps urllib3's; only urllib3 tells a refused or timed out
    *connect* (nothing sent) from a connection dropped after sending.
    """
    seen = set()
    pending = [exc]
    while pending:
        current = pending.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, (urllib3_exc.ConnectTimeoutError,
                                requests.exceptions.ConnectTimeout)):
            return True
        pending.extend((current.__cause__, current.__context__,
                        getattr(current, 'reason', None)))
        pending.extend(current.args)
    return False
