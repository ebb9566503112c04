"""``[persistence]``: where flow state is saved after every step."""

from oslo_config import cfg

GROUP = 'persistence'

persistence_opts = [
    cfg.StrOpt('connection', secret=True,
               help='SQLAlchemy URL of the TaskFlow persistence database: '
                    'sqlite:////path/file.db, mysql+pymysql://user:pw@host/'
                    'db or postgresql://user:pw@host/db. Defaults to a '
                    'SQLite file in the state directory. Never share one '
                    'SQLite file between machines.'),
    cfg.StrOpt('state_dir',
               help='Directory for the default SQLite database and local '
                    'runtime files. Defaults to $XDG_STATE_HOME/octavia-'
                    'maint (~/.local/state/octavia-maint).'),
    cfg.IntOpt('sqlite_busy_timeout', default=30, min=1,
               help='Seconds SQLite waits on a locked database.'),
]


def register_opts(conf):
    conf.register_opts(persistence_opts, group=GROUP)


def list_opts():
    return [(GROUP, persistence_opts)]
