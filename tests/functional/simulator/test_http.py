"""The HTTP layer on the wire: what werkzeug does for the simulator.

Connections kept open, bodies sent chunked, errors for unknown paths and
methods in each service's format, paths with or without a trailing slash,
and the headers every answer carries.
"""

import hashlib
import http.client
import urllib.parse

import pytest

from octavia_maint.simulator import fleet
from octavia_maint.simulator import server
from tests.functional.simulator import helpers


def test_a_chunked_upload_is_decoded(sim):
    created = helpers.call(sim, 'POST', '/image/v2/images', json={
        'name': 'chunked', 'disk_format': 'qcow2',
        'container_format': 'bare'})
    image_id = created.json()['id']
    data = [b'amphora-', b'image-', b'bytes']

    upload = helpers.call(sim, 'PUT', '/image/v2/images/%s/file' % image_id,
                          data=iter(data), headers={
                              'Content-Type': 'application/octet-stream'})

    assert upload.request.headers['Transfer-Encoding'] == 'chunked'
    assert upload.status_code == 204
    assert 'Content-Length' not in upload.headers
    image = helpers.call(sim, 'GET', '/image/v2/images/%s' % image_id).json()
    assert image['checksum'] == hashlib.md5(b''.join(data)).hexdigest()


def test_a_wrong_method_is_a_405_in_the_service_format(sim):
    answer = helpers.call(sim, 'DELETE',
                          '/load-balancer/v2.0/lbaas/loadbalancers')

    assert answer.status_code == 405
    assert answer.json()['faultstring'] == 'Method Not Allowed'


def test_unknown_paths(sim):
    in_a_service = helpers.call(sim, 'GET', '/compute/v2.1/flavors/x/y')
    nowhere = helpers.call(sim, 'GET', '/nowhere')

    assert in_a_service.status_code == 404
    assert in_a_service.json() == {'itemNotFound': {
        'code': 404, 'message': 'Not Found'}}
    assert (nowhere.status_code, nowhere.text) == (404, 'Not Found')
    assert nowhere.headers['Content-Type'] == 'text/plain'


def test_a_trailing_slash_is_the_same_path(sim):
    bare = helpers.call(sim, 'GET', '/load-balancer/v2/lbaas/loadbalancers')
    slashed = helpers.call(sim, 'GET',
                           '/load-balancer/v2/lbaas/loadbalancers/',
                           allow_redirects=False)
    root = helpers.call(sim, 'GET', '/identity', allow_redirects=False)

    assert slashed.status_code == bare.status_code == 200
    assert slashed.json()['loadbalancers'] == bare.json()['loadbalancers']
    assert root.status_code == 300


def test_every_answer_has_a_request_id_and_the_simulator_name(sim):
    answer = helpers.call(sim, 'GET', '/_sim/stats')

    assert answer.headers['X-Openstack-Request-Id'].startswith('req-')
    assert answer.headers['Server'].startswith('octavia-maint-simulator')
    assert answer.headers['Content-Type'] == 'application/json'


def test_connections_are_kept_open_between_requests(sim):
    host, port = urllib.parse.urlsplit(sim.url).netloc.split(':')
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    answers = []
    for method, path, body in (('GET', '/_sim/stats', None),
                               ('PUT', '/_sim/faults', b'{"latency_ms": 0}'),
                               ('GET', '/_sim/faults', None)):
        connection.request(method, path, body)
        response = connection.getresponse()
        response.read()
        answers.append((response.status, response.getheader('Connection')))
        if method == 'GET' and path == '/_sim/stats':
            first_socket = connection.sock

    assert answers == [(200, None)] * 3
    assert connection.sock is first_socket  # never reconnected
    connection.close()


def test_stop_drops_an_open_connection():
    simulator = server.Simulator(fleet.FleetSpec(load_balancers=1)).start()
    connection = http.client.HTTPConnection('127.0.0.1', simulator.port,
                                            timeout=10)
    connection.request('GET', '/_sim/stats')
    connection.getresponse().read()

    simulator.stop()

    with pytest.raises((ConnectionError, http.client.HTTPException)):
        connection.request('GET', '/_sim/stats')
        connection.getresponse()
    connection.close()
