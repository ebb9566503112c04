"""Keystone v3: version documents, password auth, tokens, the catalog."""

import openstack
import openstack.exceptions
import pytest
import requests

from tests.functional.simulator import helpers


def test_version_documents_answer_unauthenticated(sim):
    root = requests.get(sim.auth_url, timeout=10)
    v3 = requests.get(sim.auth_url + '/v3', timeout=10)

    assert root.status_code == 300
    assert root.json()['versions']['values'][0]['id'].startswith('v3.')
    assert v3.status_code == 200
    assert v3.json()['version']['links'][0]['href'] == sim.auth_url + '/v3/'


def test_token_carries_a_catalog_with_every_service(sim):
    token = helpers.token(sim)
    body = requests.get(sim.auth_url + '/v3/auth/tokens', timeout=10,
                        headers={'X-Auth-Token': token,
                                 'X-Subject-Token': token}).json()['token']

    types = {entry['type']: entry for entry in body['catalog']}
    assert {'identity', 'load-balancer', 'compute', 'image',
            'network'} <= set(types)
    assert {e['interface'] for e in types['compute']['endpoints']} == {
        'public', 'internal', 'admin'}
    assert types['compute']['endpoints'][0]['url'].endswith('/compute/v2.1')
    assert types['compute']['endpoints'][0]['region_id'] == 'RegionOne'
    assert [r['name'] for r in body['roles']][0] == 'admin'


def test_wrong_password_is_a_401_in_keystone_format(sim):
    response = requests.post(sim.auth_url + '/v3/auth/tokens', timeout=10,
                             json={'auth': {'identity': {
                                 'methods': ['password'],
                                 'password': {'user': {
                                     'name': 'admin', 'password': 'wrong',
                                     'domain': {'id': 'default'}}}}}})

    assert response.status_code == 401
    assert response.json() == {'error': {
        'code': 401, 'title': 'Unauthorized',
        'message': 'The request you have made requires authentication.'}}


def test_sdk_with_a_wrong_password_fails_to_authorize(sim):
    config = sim.simulator.cloud_config()
    config['auth']['password'] = 'wrong'
    conn = openstack.connect(**config)

    with pytest.raises(openstack.exceptions.SDKException,
                       match='requires authentication.*HTTP 401'):
        conn.authorize()


def test_apis_refuse_missing_and_unknown_tokens(sim):
    missing = requests.get(sim.url + '/load-balancer/v2/lbaas/loadbalancers',
                           timeout=10)
    unknown = requests.get(sim.url + '/compute/v2.1/servers/detail',
                           headers={'X-Auth-Token': 'nope'}, timeout=10)

    for response in (missing, unknown):
        assert response.status_code == 401
        assert response.json()['error']['code'] == 401
    assert 'Keystone uri=' in missing.headers['WWW-Authenticate']


def test_configured_users_and_roles(simulator):
    simulator.reset(users=[
        {'name': 'admin', 'password': 'password', 'project': 'admin',
         'roles': ['admin']},
        {'name': 'alice', 'password': 's3cret', 'project': 'project-01',
         'roles': ['member']}])
    alice = dict(simulator.simulator.cloud_config(
        simulator.simulator.spec.users[1]))
    conn = openstack.connect(**alice)

    # Octavia shows a member the LBs of her own project only, and the
    # amphora API is for admins.
    lbs = list(conn.load_balancer.load_balancers())
    assert lbs and {lb.project_id for lb in lbs} == {
        conn.current_project_id}
    with pytest.raises(openstack.exceptions.ForbiddenException):
        list(conn.load_balancer.amphorae())
    simulator.reset()


def test_projects_by_id_by_name_and_created_through_the_sdk(sim, conn):
    project = conn.identity.find_project('project-01', ignore_missing=False)

    assert conn.identity.get_project(project.id).name == 'project-01'
    assert [p.id for p in conn.identity.projects(name='project-01')] == [
        project.id]
    assert list(conn.identity.projects(name='demo')) == []
    with pytest.raises(openstack.exceptions.NotFoundException,
                       match='Could not find project: nope'):
        conn.identity.get_project('nope')
    created = conn.identity.create_project(name='rotation')
    assert conn.identity.get_project(created.id).name == 'rotation'
    with pytest.raises(openstack.exceptions.ConflictException,
                       match='two projects with the same name'):
        conn.identity.create_project(name='rotation')
