"""Which cloud the facade talks to: the key failover history is kept by."""


def test_the_cloud_key_is_keystone_and_region_without_secrets(sim, cloud):
    before = sim.stats()['requests_total']
    key = cloud.cloud_key()
    assert key.startswith(sim.auth_url.rstrip('/') + ' ')
    assert 'password' not in key
    # Read from the configuration: no request to any service.
    assert sim.stats()['requests_total'] == before
