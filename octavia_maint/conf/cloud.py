"""``[cloud]``: how conductors and the CLI reach the OpenStack cloud.

Either name a cloud from ``clouds.yaml`` (the way operators already
configure the ``openstack`` CLI), or give keystoneauth1 options in this
group, loaded the standard way (``auth_type = password``, ``auth_url``, ...).
Credentials never leave this file: jobs carry intent only.
"""

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

GROUP = 'cloud'

cloud_opts = [
    cfg.StrOpt('cloud',
               help='Name of a cloud in clouds.yaml to use. When unset, '
                    'the keystoneauth1 options of this group are used.'),
    cfg.StrOpt('region_name',
               help='Region to use; clouds.yaml may also set it.'),
    cfg.StrOpt('interface',
               choices=['public', 'internal', 'admin'],
               help='Endpoint interface to pick from the catalog. When '
                    'unset, the clouds.yaml entry decides, else public.'),
    cfg.FloatOpt('api_retry_seconds', default=120.0, min=0.0,
                 help='How long, in seconds, one API call is retried after '
                      'transient errors (HTTP 5xx or 429, a lost '
                      'connection), with exponential backoff, before the '
                      'cloud is deemed unavailable. A target the job had not '
                      'acted on yet then ends not-attempted, and job resume '
                      'continues it. 0 disables retries.'),
    cfg.IntOpt('api_retries', min=0,
               help='At most this many retries of one API call, within '
                    'api_retry_seconds. Unset: as many as fit in '
                    'api_retry_seconds.'),
    cfg.FloatOpt('api_retry_max_delay', default=8.0, min=0.1,
                 help='Longest backoff, in seconds, between retries of one '
                      'API call.'),
    cfg.FloatOpt('status_poll_interval', default=2.0, min=0.01,
                 help='Seconds between two status polls while waiting for '
                      'a load balancer, amphora or image.'),
    cfg.FloatOpt('wait_timeout', default=900.0, min=1.0,
                 help='Default longest time, in seconds, to wait for a load '
                      'balancer or an image to reach a status (a failover of '
                      'an ACTIVE_STANDBY load balancer takes minutes).'),
]


def register_opts(conf):
    conf.register_opts(cloud_opts, group=GROUP)
    ks_loading.register_auth_conf_options(conf, GROUP)
    ks_loading.register_session_conf_options(conf, GROUP)


def list_opts():
    auth_opts = (ks_loading.get_auth_common_conf_options() +
                 ks_loading.get_auth_plugin_conf_options('password'))
    return [(GROUP, cloud_opts + ks_loading.get_session_conf_options() +
             _unique(auth_opts))]


def _unique(opts):
    """Drop options that two keystoneauth1 lists both contain."""
    seen = set()
    result = []
    for opt in opts:
        if opt.dest not in seen:
            seen.add(opt.dest)
            result.append(opt)
    return result
