"""Raw HTTP helpers for the simulator's tests: exact wire bodies and codes.

The SDK hides bodies behind exceptions; these tests check what is on the
wire, so they use ``requests`` with a token from the real Keystone flow.
"""

import requests


def token(sim):
    """A token for the default admin user, from ``POST /v3/auth/tokens``."""
    user = sim.spec.users[0]
    response = requests.post(sim.auth_url + '/v3/auth/tokens', json={
        'auth': {'identity': {'methods': ['password'], 'password': {
            'user': {'name': user['name'], 'password': user['password'],
                     'domain': {'name': 'Default'}}}},
                 'scope': {'project': {'name': user['project'],
                                       'domain': {'name': 'Default'}}}}},
        timeout=10)
    response.raise_for_status()
    return response.headers['X-Subject-Token']


def call(sim, method, path, **kwargs):
    """An authenticated request to ``<simulator url><path>``."""
    headers = kwargs.pop('headers', {})
    headers.setdefault('X-Auth-Token', token(sim))
    return requests.request(method, sim.url + path, headers=headers,
                            timeout=10, **kwargs)
