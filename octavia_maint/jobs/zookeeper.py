"""ZooKeeper: the kazoo client and every path octavia-maint uses.

One client per process serves the job board, the failover throttle and
the circuit breakers. With ``[jobboard] auth_username`` set, every znode
we create gets a digest ACL for that user only, so other tenants of a
shared ZooKeeper can neither read nor change our jobs.
"""

from kazoo import client as kazoo_client
from kazoo import exceptions as kazoo_exc
from kazoo import security
from kazoo.handlers import threading as kazoo_threading

from octavia_maint.common import exceptions


def board_path(conf):
    return conf.jobboard.path.rstrip('/') + '/jobs'


def throttle_path(conf):
    return conf.jobboard.path.rstrip('/') + '/throttle/failovers'


def breakers_path(conf):
    return conf.jobboard.path.rstrip('/') + '/breakers'


def make_client(conf):
    """Build and start a kazoo client from ``[jobboard]``.

    :raises ConfigError: ZooKeeper does not answer within the timeout.
    """
    jb = conf.jobboard
    kwargs = {'hosts': ','.join(jb.hosts), 'timeout': jb.session_timeout,
              'connection_retry': {'max_tries': -1, 'max_delay': 2.0},
              'command_retry': {'max_tries': 3, 'max_delay': 2.0}}
    if jb.auth_username:
        credential = '%s:%s' % (jb.auth_username, jb.auth_password or '')
        kwargs['auth_data'] = [('digest', credential)]
        kwargs['default_acl'] = [security.make_digest_acl(
            jb.auth_username, jb.auth_password or '', all=True)]
    if jb.use_ssl:
        kwargs.update(use_ssl=True, ca=jb.ssl_ca, certfile=jb.ssl_certfile,
                      keyfile=jb.ssl_keyfile, verify_certs=jb.ssl_verify_certs)
    client = kazoo_client.KazooClient(**kwargs)
    try:
        client.start(timeout=jb.connect_timeout)
    except (kazoo_threading.KazooTimeoutError, kazoo_exc.KazooException,
            OSError) as e:
        client.close()
        raise exceptions.ConfigError(
            reason='ZooKeeper at %s did not answer (%s); check [jobboard] '
                   'hosts' % (','.join(jb.hosts), e.__class__.__name__))
    return client
