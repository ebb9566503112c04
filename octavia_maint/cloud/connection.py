"""Build an openstacksdk ``Connection`` from octavia-maint's configuration.

Two ways, as ``[cloud]`` documents: a cloud named in ``clouds.yaml`` (what
operators already use for the ``openstack`` CLI), or keystoneauth1 options
in the ``[cloud]`` group itself (what OpenStack services use in their own
configuration files). Building a connection does not contact the cloud:
authentication happens on the first call, so its failures surface there as
``AuthenticationFailed``; configuration mistakes surface here, at start-up,
as one-line ``ConfigError``.
"""

import logging
import os
import urllib.request

from keystoneauth1 import exceptions as ksa_exc
from keystoneauth1 import loading as ks_loading
from openstack import config as sdk_config
from openstack import connection as sdk_connection
from openstack import exceptions as sdk_exc

from octavia_maint.common import exceptions
from octavia_maint.conf import cloud as cloud_conf

LOG = logging.getLogger(__name__)

APP_NAME = 'octavia-maint'
# What requests takes from the environment besides proxies (getproxies).
CA_BUNDLE_VARIABLES = ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE')


def build_connection(conf):
    """Return an ``openstack.connection.Connection`` for ``[cloud]``.

    The cloud is ``[cloud] cloud``; when that names none and no
    ``auth_type`` is set, ``OS_CLOUD`` names it, as for every OpenStack
    client.

    :raises: ConfigError when the named cloud is not in clouds.yaml, or the
        keystoneauth1 options are missing or incomplete.
    """
    group = conf[cloud_conf.GROUP]
    overrides = {key: value for key, value in (
        ('region_name', group.region_name),
        ('interface', group.interface)) if value is not None}
    name = group.cloud or (None if group.auth_type
                           else os.environ.get('OS_CLOUD'))
    if name:
        conn = _from_clouds_yaml(name, overrides, group.timeout)
    else:
        conn = _from_keystoneauth_options(conf, overrides)
    _read_environment_once(conn)
    return conn


def _read_environment_once(conn):
    """Stop requests reading the environment on every API call when it
    sets nothing requests would take from it.

    requests looks for proxies (and ``no_proxy``), a CA bundle and
    ``~/.netrc`` on every request (``trust_env``), scanning every variable
    twice: a third of an API call's CPU, and a conductor makes a dozen
    calls per failover (issue 13). The environment of a running process
    does not change, so where no proxy or CA bundle is set, nothing is
    lost by not looking again; where one is, requests goes on as before.
    ``~/.netrc`` is not read then: it would only add HTTP basic auth
    beside keystoneauth's token.
    """
    if urllib.request.getproxies() or any(
            os.environ.get(name) for name in CA_BUNDLE_VARIABLES):
        return
    conn.session.session.trust_env = False


def _from_clouds_yaml(name, overrides, timeout):
    """Load a clouds.yaml entry; ``[cloud]`` options override it.

    ``[cloud] timeout`` (keystoneauth1's HTTP timeout) becomes the entry's
    ``api_timeout``, so one option bounds a hung request either way.
    """
    if timeout is not None:
        overrides['api_timeout'] = timeout
    loader = sdk_config.OpenStackConfig()
    if name not in loader.get_cloud_names():
        raise exceptions.ConfigError(
            reason='[cloud] cloud = %s is not defined in %s; define it there '
                   'or point OS_CLIENT_CONFIG_FILE at the clouds.yaml that '
                   'does' % (name, loader.config_filename or
                             'any clouds.yaml (none was found)'))
    try:
        region = loader.get_one(cloud=name, **overrides)
    except sdk_exc.ConfigException as exc:
        raise exceptions.ConfigError(
            reason='cloud %s in %s: %s' % (name, loader.config_filename,
                                           exc)) from exc
    LOG.debug("Using cloud %s of %s (region %s)", name,
              loader.config_filename, region.region_name)
    return sdk_connection.Connection(config=region, app_name=APP_NAME)


def _from_keystoneauth_options(conf, overrides):
    try:
        auth = ks_loading.load_auth_from_conf_options(conf, cloud_conf.GROUP)
    except ksa_exc.AuthPluginException as exc:
        raise exceptions.ConfigError(
            reason='[cloud] keystoneauth1 options: %s' % exc) from exc
    if auth is None:
        raise exceptions.ConfigError(
            reason='set [cloud] cloud to a clouds.yaml entry, or [cloud] '
                   'auth_type and its options (auth_url, username, ...)')
    session = ks_loading.load_session_from_conf_options(
        conf, cloud_conf.GROUP, auth=auth)
    LOG.debug("Using keystoneauth1 options of [cloud] (auth_type %s)",
              conf[cloud_conf.GROUP].auth_type)
    return sdk_connection.Connection(session=session, app_name=APP_NAME,
                                     **overrides)
