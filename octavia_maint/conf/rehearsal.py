"""``[rehearsal]``: how ``job post --rehearse`` runs a job on a snapshot."""

from oslo_config import cfg

GROUP = 'rehearsal'

rehearsal_opts = [
    cfg.FloatOpt('time_scale', default=50.0, min=1.0,
                 help='How many times faster than real time the private '
                      'simulator of a rehearsal runs (its failovers, and '
                      'every wait of the rehearsed job with them); the '
                      'expected duration is scaled back. Higher is faster '
                      'but less exact: the tool\'s own work per failover '
                      'is scaled up too.'),
]


def register_opts(conf):
    conf.register_opts(rehearsal_opts, group=GROUP)


def list_opts():
    return [(GROUP, rehearsal_opts)]
