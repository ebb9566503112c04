"""Real openstacksdk and keystoneauth1 exceptions, built as the libraries do.

Unit tests raise these from fake callables, so the translation and retry
code is checked against the exact classes, attributes and exception chains
the libraries produce over HTTP, without any HTTP.
"""

import http.client
import json

from keystoneauth1 import exceptions as ksa_exc
from openstack import exceptions as sdk_exc
import requests
from urllib3 import exceptions as urllib3_exc

URL = 'http://127.0.0.1:9876/v2/lbaas/loadbalancers/lb-1/failover'


def http_error(status, faultstring='it failed', token='gAAAAB-token',
               method='PUT', error_message='Failed'):
    """The exception openstacksdk raises for an Octavia error response.

    :param error_message: the SDK's message for the call; its ``get_*``
        calls say ``No LoadBalancer found for <id>`` whatever the status.
    """
    response = requests.Response()
    response.request = requests.Request(
        method, URL, headers={'X-Auth-Token': token}).prepare()
    response.status_code = status
    response.reason = http.client.responses.get(status, 'Unknown')
    response.headers['Content-Type'] = 'application/json'
    response._content = json.dumps({
        'faultcode': 'Client' if status < 500 else 'Server',
        'faultstring': faultstring, 'debuginfo': None}).encode()
    response.url = URL
    try:
        sdk_exc.raise_from_response(response, error_message=error_message)
    except sdk_exc.HttpException as exc:
        return exc
    raise AssertionError('status %s raised nothing' % status)


def refused_connection():
    """keystoneauth1's ConnectFailure when nothing listens on the port."""
    refused = urllib3_exc.NewConnectionError(
        None, 'Failed to establish a new connection: [Errno 111] '
              'Connection refused')
    return _connect_failure(requests.exceptions.ConnectionError(
        urllib3_exc.MaxRetryError(None, URL, reason=refused)))


def dropped_connection():
    """keystoneauth1's ConnectFailure when the server hung up mid-request."""
    dropped = urllib3_exc.ProtocolError(
        'Connection aborted.', http.client.RemoteDisconnected(
            'Remote end closed connection without response'))
    return _connect_failure(requests.exceptions.ConnectionError(dropped))


def read_timeout():
    """keystoneauth1's ConnectTimeout when the answer never came."""
    try:
        try:
            raise requests.exceptions.ReadTimeout('read timed out')
        except requests.exceptions.Timeout:
            raise ksa_exc.ConnectTimeout('Request to %s timed out' % URL)
    except ksa_exc.ConnectTimeout as exc:
        return exc


def wrapped_by_image_upload(cause):
    """openstacksdk's image upload wrapping of a non-SDK failure."""
    try:
        try:
            raise cause
        except Exception as exc:
            raise sdk_exc.SDKException(
                'Image creation failed: %s' % exc) from exc
    except sdk_exc.SDKException as exc:
        return exc


def _connect_failure(requests_error):
    try:
        try:
            raise requests_error
        except requests.exceptions.ConnectionError as exc:
            raise ksa_exc.ConnectFailure(
                'Unable to establish connection to %s: %s' % (URL, exc))
    except ksa_exc.ConnectFailure as exc:
        return exc
