"""Digest authentication: our znodes are ours alone, and hold no secret.

A private ZooKeeper, the real kazoo and TaskFlow board: a job backend
with ``[jobboard] auth_username`` posts a job and takes a throttle slot;
an anonymous client and one with the wrong password can read none of
it, and no znode's data contains the password.
"""

from kazoo import client as kazoo_client
from kazoo import exceptions as kazoo_exc

from octavia_maint.common import constants
from tests.fixtures import zookeeper
from tests.functional.engine import conftest
from tests.functional.engine import harness

PASSWORD = 'zk-digest-s3cret'


def client(hosts, credential=None):
    auth = [('digest', credential)] if credential else None
    zk_client = kazoo_client.KazooClient(hosts=hosts, auth_data=auth)
    zk_client.start(timeout=15)
    return zk_client


def walk(zk_client, path):
    data, _ = zk_client.get(path)
    yield path, data
    for child in zk_client.get_children(path):
        yield from walk(zk_client, path.rstrip('/') + '/' + child)


def readable_by(hosts, credential, path):
    stranger = client(hosts, credential)
    try:
        stranger.get(path)
        return True
    except (kazoo_exc.NoAuthError, kazoo_exc.NoNodeError):
        return False
    finally:
        stranger.stop()


def test_digest_acl_guards_every_znode(zk, monkeypatch, config, tmp_path):
    sim = conftest.make_simulator(monkeypatch, load_balancers=2)
    root = zookeeper.PrivateZooKeeper.unique_path()
    groups = harness.config_groups(
        zk.hosts, root, 'sqlite:///%s' % (tmp_path / 'jobs.sqlite'),
        jobboard={'auth_username': 'octavia-maint',
                  'auth_password': PASSWORD})
    service = conftest.service_for(config, groups)
    try:
        job_id = service.post(constants.ROTATE_IMAGE, {})
        with service.backend.throttle.slot():
            owner = client(zk.hosts, 'octavia-maint:' + PASSWORD)
            nodes = dict(walk(owner, root))
            readable = {credential: [p for p in nodes
                                     if readable_by(zk.hosts, credential, p)]
                        for credential in (None, 'octavia-maint:wrong')}
        owner.stop()
        assert any(job_id.encode() in (data or b'')
                   for data in nodes.values())
        assert not any(PASSWORD.encode() in (data or b'')
                       for data in nodes.values())
        assert readable == {None: [], 'octavia-maint:wrong': []}
    finally:
        service.close()
        sim.cleanUp()
