"""``[conductor]``: the long-running service that claims and runs jobs."""

from oslo_config import cfg

from octavia_maint.conf import jobboard

GROUP = 'conductor'

conductor_opts = [
    cfg.StrOpt('name',
               help='Name this conductor claims jobs under. Defaults to '
                    '<hostname>-<pid>, unique per process.'),
    cfg.IntOpt('max_simultaneous_jobs', min=1,
               help='Jobs one conductor runs at once: a campaign, or a '
                    'batch of [jobboard] targets_per_board_job children '
                    '(one child in local mode), each child one failover '
                    'in flight or waiting for a throttle slot. Default: '
                    'enough for this conductor alone to fill the throttle, '
                    '2 x [throttle] max_concurrent_failovers / '
                    'targets_per_board_job + 2 (a campaign keeps two '
                    'children per slot going), at '
                    'least 16.'),
    cfg.IntOpt('executor_workers', default=8, min=1,
               help='Threads each job engine may use for parallel tasks.'),
    cfg.FloatOpt('wait_timeout', default=0.5, min=0.05,
                 help='Seconds the conductor waits for new jobs between two '
                      'scans of the board.'),
    cfg.IntOpt('max_job_attempts', default=5, min=1,
               help='A job claimed this many times without finishing is '
                    'ended as failed instead of being re-claimed forever.'),
    cfg.FloatOpt('graceful_shutdown_timeout', default=0.5, min=0.0,
                 help='Seconds a stopping conductor lets running steps '
                      'finish before it hands their jobs over mid-step '
                      '(safe: every step re-checks the cloud).'),
    cfg.FloatOpt('restart_delay', default=2.0, min=0.0,
                 help='Seconds before the conductor loop is restarted after '
                      'a job board error.'),
    cfg.HostAddressOpt('metrics_host', default='127.0.0.1',
                       help='Address of the Prometheus /metrics endpoint.'),
    cfg.PortOpt('metrics_port', default=0,
                help='Port of the Prometheus /metrics endpoint; 0 disables '
                     'it.'),
]


# The least default of max_simultaneous_jobs.
MIN_DEFAULT_JOBS = 16


def max_simultaneous_jobs(conf):
    """The jobs one conductor runs at once: the option, or by default
    what lets one conductor fill the configured throttle by itself.

    A default fixed at 16 meant two conductors could never hold 50
    failovers at once with a throttle of 50 (issue 13): the throttle the
    operator configured must be reachable without tuning a second option.
    No more than that either: a job is a thread of the conductor (and,
    on MySQL or PostgreSQL, a pooled connection) as long as it lives.
    """
    configured = conf.conductor.max_simultaneous_jobs
    if configured is not None:
        return configured
    children = 2 * conf.throttle.max_concurrent_failovers
    # Local mode runs each child as a job of its own (no board).
    per_job = (1 if conf.jobboard.backend == 'local'
               else jobboard.targets_per_board_job(conf))
    return max(MIN_DEFAULT_JOBS, -(-children // per_job) + 2)


def register_opts(conf):
    conf.register_opts(conductor_opts, group=GROUP)


def list_opts():
    return [(GROUP, conductor_opts)]
