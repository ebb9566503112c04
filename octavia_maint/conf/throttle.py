"""``[throttle]``: how fast campaigns may fail over, cloud-wide."""

from oslo_config import cfg

GROUP = 'throttle'

throttle_opts = [
    cfg.IntOpt('max_concurrent_failovers', default=10, min=1,
               help='Failovers in flight at once across every conductor and '
                    'job of the cloud (a ZooKeeper semaphore).'),
    cfg.FloatOpt('min_interval_seconds', default=0.0, min=0.0,
                 help='Least time between the starts of two failovers, '
                      'cloud-wide; 0 disables pacing.'),
    cfg.IntOpt('max_failures', default=5, min=1,
               help='A campaign stops issuing failovers after this many '
                    'failed ones (circuit breaker) and ends failed.'),
    cfg.IntOpt('failover_timeout', default=900, min=1,
               help='Seconds a load balancer may stay PENDING_UPDATE after '
                    'a failover before the failover counts as failed.'),
    cfg.IntOpt('expected_failover_seconds', default=120, min=1,
               help='How long one failover usually takes here, in seconds. '
                    'Dry runs and job show\'s ETA use the median of this '
                    'cloud\'s own recent failovers (kept per topology in '
                    'the persistence database) and fall back to this value '
                    'only while there are none.'),
]


def register_opts(conf):
    conf.register_opts(throttle_opts, group=GROUP)


def list_opts():
    return [(GROUP, throttle_opts)]
