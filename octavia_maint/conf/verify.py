"""``[verify]``: how a failover is checked beyond the control plane.

A failover counts as done when the load balancer is ACTIVE on the new
amphorae; whether it still serves is what Octavia's status tree says
(listeners, pools, members with their ``operating_status``), which the
health manager updates from the new amphorae's heartbeats a little later.
"""

from oslo_config import cfg

GROUP = 'verify'

verify_opts = [
    cfg.IntOpt('settle_seconds', default=120, min=0,
               help='Seconds a failed-over load balancer has to become at '
                    'least as healthy as before its failover (every '
                    'listener, pool and member ONLINE before is ONLINE '
                    'again) before the failover counts as failed.'),
    cfg.FloatOpt('first_look_seconds', default=10.0, min=0.0,
                 help='Seconds after a failover before its status tree is '
                      'first read: the health manager updates it from the '
                      'new amphorae\'s heartbeats ([health_manager] '
                      'heartbeat_interval), so an earlier read may still '
                      'show what the old amphorae reported.'),
    cfg.FloatOpt('poll_interval', default=5.0, min=0.01,
                 help='Seconds between two reads of a load balancer\'s '
                      'status tree while it settles.'),
]


def register_opts(conf):
    conf.register_opts(verify_opts, group=GROUP)


def list_opts():
    return [(GROUP, verify_opts)]
