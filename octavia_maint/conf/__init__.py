"""All of octavia-maint's configuration, one module per option group.

``register_opts`` puts every group on a ``ConfigOpts`` object (the global
``CONF`` by default); ``list_opts`` feeds ``oslo-config-generator`` through
the ``oslo.config.opts`` entry point, so the sample file cannot drift from
the code.
"""

from oslo_config import cfg

from octavia_maint.conf import cloud
from octavia_maint.conf import conductor
from octavia_maint.conf import jobboard
from octavia_maint.conf import octavia
from octavia_maint.conf import octavia_db
from octavia_maint.conf import persistence
from octavia_maint.conf import rehearsal
from octavia_maint.conf import throttle
from octavia_maint.conf import verify

CONF = cfg.CONF

_MODULES = (cloud, conductor, jobboard, octavia, octavia_db, persistence,
            rehearsal, throttle, verify)


def register_opts(conf=CONF):
    """Register every option group on ``conf``."""
    for module in _MODULES:
        module.register_opts(conf)


def list_opts():
    """Return ``[(group, [opts])]`` for the sample config generator."""
    opts = []
    for module in _MODULES:
        opts.extend(module.list_opts())
    return opts


register_opts(CONF)
