"""``[jobboard]``: where jobs are posted and claimed.

``zookeeper`` shares jobs between every conductor of a cloud; ``local``
runs a job inside the CLI's own process (no ZooKeeper needed), which is
the default so that a first run works with nothing configured.
"""

from oslo_config import cfg

GROUP = 'jobboard'

jobboard_opts = [
    cfg.StrOpt('backend', default='local', choices=['local', 'zookeeper'],
               help='Job board backend. "local" runs jobs in the CLI '
                    'process; "zookeeper" posts them for conductors.'),
    cfg.ListOpt('hosts', default=['127.0.0.1:2181'],
                help='ZooKeeper servers, host:port. In production list '
                     'every server of the ensemble (three or five): the '
                     'conductors then ride out the loss of any one, its '
                     'leader included.'),
    cfg.StrOpt('path', default='/octavia-maint',
               help='ZooKeeper root path for octavia-maint; the job board, '
                    'locks and throttle live below it.'),
    cfg.FloatOpt('session_timeout', default=10.0, min=2.0, max=120.0,
                 help='ZooKeeper session timeout in seconds. A conductor '
                      'killed with SIGKILL keeps its claims this long, so it '
                      'bounds how fast another conductor takes over.'),
    cfg.FloatOpt('connect_timeout', default=10.0, min=1.0,
                 help='Seconds to wait for a ZooKeeper connection before '
                      'giving up with an error.'),
    cfg.StrOpt('auth_username',
               help='Digest authentication user; when set, our znodes get '
                    'an ACL that grants access to this user only.'),
    cfg.StrOpt('auth_password', secret=True,
               help='Digest authentication password.'),
    cfg.BoolOpt('use_ssl', default=False,
                help='Connect to ZooKeeper over TLS.'),
    cfg.StrOpt('ssl_ca', help='CA bundle to verify ZooKeeper servers.'),
    cfg.StrOpt('ssl_certfile', help='Client certificate for ZooKeeper TLS.'),
    cfg.StrOpt('ssl_keyfile', help='Client key for ZooKeeper TLS.'),
    cfg.BoolOpt('ssl_verify_certs', default=True,
                help='Verify the ZooKeeper server certificate.'),
]


def register_opts(conf):
    conf.register_opts(jobboard_opts, group=GROUP)


def list_opts():
    return [(GROUP, jobboard_opts)]
