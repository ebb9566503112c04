"""``[octavia]``: facts about the Octavia deployment being maintained.

These mirror options of Octavia's own ``octavia.conf`` (for instance
``[controller_worker] amp_image_tag``): octavia-maint must agree with them
to know which image Octavia boots and which servers are amphorae.
"""

from oslo_config import cfg

GROUP = 'octavia'

octavia_opts = [
    cfg.StrOpt('amp_image_tag', default='amphora',
               help='Glance tag of the amphora image, as Octavia\'s '
                    '[controller_worker] amp_image_tag.'),
    cfg.StrOpt('amp_image_owner_id',
               help='Owner of the amphora image, as Octavia\'s '
                    '[controller_worker] amp_image_owner_id.'),
    cfg.StrOpt('service_project_id',
               help='Project that owns amphora VMs in Nova. Servers of '
                    'other projects are never treated as amphorae.'),
    cfg.StrOpt('amp_server_name_prefix', default='amphora-',
               help='Name prefix of amphora VMs in Nova.'),
    cfg.FloatOpt('cert_interval', default=3600.0, min=1.0,
                 help='Seconds between two runs of Octavia\'s certificate '
                      'housekeeping, as its [house_keeping] cert_interval: '
                      'rotate-certs by housekeeping waits up to this long '
                      'for the certificates it expired, and its dry run '
                      'estimates with it.'),
    cfg.FloatOpt('cert_rotation_timeout', default=7200.0, min=1.0,
                 help='Seconds rotate-certs waits for Octavia\'s '
                      'housekeeping to renew the certificates it expired '
                      'on one load balancer: more than Octavia\'s '
                      '[house_keeping] cert_interval (3600 by default).'),
]


def register_opts(conf):
    conf.register_opts(octavia_opts, group=GROUP)


def list_opts():
    return [(GROUP, octavia_opts)]
