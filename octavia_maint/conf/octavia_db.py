"""``[octavia_db]``: Octavia's own database, for certificate rotation and
to read which amphorae the health manager hears."""

from oslo_config import cfg

GROUP = 'octavia_db'

octavia_db_opts = [
    cfg.StrOpt('connection', secret=True,
               help='SQLAlchemy URL of Octavia\'s database, as Octavia\'s '
                    '[database] connection. Only rotate-certs in '
                    'amphora-certs mode uses it, and only to move the '
                    'cert_expiration of the targeted amphorae; and '
                    'heartbeat-key, only to read amphora_health.'),
]


def register_opts(conf):
    conf.register_opts(octavia_db_opts, group=GROUP)


def list_opts():
    return [(GROUP, octavia_db_opts)]
