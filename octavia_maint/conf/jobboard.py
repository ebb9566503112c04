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
    cfg.IntOpt('targets_per_board_job', min=1,
               help='Targets of a campaign one board job carries (each keeps '
                    'its own state and outcome): posting, claiming and '
                    'handing work over are paid once per board job. '
                    'Default: an eighth of [throttle] '
                    'max_concurrent_failovers (at most 16), so every '
                    'conductor still gets a share of the work and the '
                    'first failover starts at once.'),
    cfg.BoolOpt('use_ssl', default=False,
                help='Connect to ZooKeeper over TLS.'),
    cfg.StrOpt('ssl_ca', help='CA bundle to verify ZooKeeper servers.'),
    cfg.StrOpt('ssl_certfile', help='Client certificate for ZooKeeper TLS.'),
    cfg.StrOpt('ssl_keyfile', help='Client key for ZooKeeper TLS.'),
    cfg.BoolOpt('ssl_verify_certs', default=True,
                help='Verify the ZooKeeper server certificate.'),
]


# By default one target per board job for every SLOTS_PER_TARGET throttle
# slots, at most MAX_DEFAULT_TARGETS: see targets_per_board_job().
MAX_DEFAULT_TARGETS = 16
SLOTS_PER_TARGET = 8


def targets_per_board_job(conf):
    """How many targets of a campaign one board job carries: the option,
    or by default one per eight throttle slots, at most
    ``MAX_DEFAULT_TARGETS``.

    Larger board jobs cost less per target (one post, claim, claim check
    and consume each), but a board job is claimed whole by one conductor:
    with eight of them per throttle's worth of work in flight, every
    conductor claims a share, and a small throttle (tests, cautious
    clouds) keeps one target per job.
    """
    configured = conf.jobboard.targets_per_board_job
    if configured is not None:
        return configured
    return max(1, min(MAX_DEFAULT_TARGETS, -(
        -conf.throttle.max_concurrent_failovers // SLOTS_PER_TARGET)))


def register_opts(conf):
    conf.register_opts(jobboard_opts, group=GROUP)


def list_opts():
    return [(GROUP, jobboard_opts)]
