"""Building an openstacksdk Connection from [cloud]; no cloud is contacted."""

import os

import fixtures
from keystoneauth1 import loading as ks_loading
from oslo_config import cfg
from oslo_config import fixture as config_fixture
import testtools
import yaml

from octavia_maint.cloud import connection
from octavia_maint.cloud import facade
from octavia_maint.common import exceptions
from octavia_maint import conf as maint_conf

PASSWORD = 'not-a-real-password'

CLOUDS = {'clouds': {'lab': {
    'auth': {'auth_url': 'http://127.0.0.1:1/v3', 'username': 'admin',
             'password': PASSWORD, 'project_name': 'admin',
             'user_domain_name': 'Default',
             'project_domain_name': 'Default'},
    'regions': ['RegionOne', 'RegionTwo'], 'interface': 'internal'}}}


class ConnectionTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = cfg.ConfigOpts()
        maint_conf.register_opts(self.conf)
        self.config = self.useFixture(config_fixture.Config(self.conf))
        tempdir = self.useFixture(fixtures.TempDir()).path
        self.clouds_yaml = os.path.join(tempdir, 'clouds.yaml')
        with open(self.clouds_yaml, 'w') as stream:
            yaml.safe_dump(CLOUDS, stream)
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_CLIENT_CONFIG_FILE', self.clouds_yaml))
        # OS_* variables of whoever runs the tests must not leak in.
        for name in [key for key in os.environ if key.startswith('OS_')
                     and key != 'OS_CLIENT_CONFIG_FILE']:
            self.useFixture(fixtures.EnvironmentVariable(name))


class TestFromCloudsYaml(ConnectionTestCase):

    def test_named_cloud(self):
        self.config.config(cloud='lab', group='cloud')
        conn = connection.build_connection(self.conf)
        self.assertEqual('lab', conn.config.name)
        self.assertEqual('RegionOne', conn.config.region_name)
        self.assertEqual('internal', conn.config.get_interface())

    def test_conf_overrides_region_interface_and_timeout(self):
        self.config.config(cloud='lab', region_name='RegionTwo',
                           interface='admin', timeout=42.0, group='cloud')
        conn = connection.build_connection(self.conf)
        self.assertEqual('RegionTwo', conn.config.region_name)
        self.assertEqual('admin', conn.config.get_interface())
        self.assertEqual(42.0, conn.session.timeout)

    def test_os_cloud_when_the_file_names_none(self):
        self.useFixture(fixtures.EnvironmentVariable('OS_CLOUD', 'lab'))
        conn = connection.build_connection(self.conf)
        self.assertEqual('lab', conn.config.name)

    def test_the_file_wins_over_os_cloud(self):
        self.useFixture(fixtures.EnvironmentVariable('OS_CLOUD', 'nowhere'))
        self.config.config(cloud='lab', group='cloud')
        self.assertEqual('lab', connection.build_connection(self.conf)
                         .config.name)
        self.config.config(cloud=None, auth_type='password', group='cloud')
        exc = self.assertRaises(exceptions.ConfigError,
                                connection.build_connection, self.conf)
        self.assertIn('auth_url', str(exc))

    def test_region_unknown_to_clouds_yaml(self):
        self.config.config(cloud='lab', region_name='Mars', group='cloud')
        exc = self.assertRaises(exceptions.ConfigError,
                                connection.build_connection, self.conf)
        self.assertIn('Mars', str(exc))

    def test_unknown_cloud_is_one_line_config_error(self):
        self.config.config(cloud='nowhere', group='cloud')
        exc = self.assertRaises(exceptions.ConfigError,
                                connection.build_connection, self.conf)
        message = str(exc)
        self.assertNotIn('\n', message)
        self.assertIn('nowhere', message)
        self.assertIn(self.clouds_yaml, message)
        self.assertNotIn(PASSWORD, message)

    def test_facade_from_conf(self):
        self.config.config(cloud='lab', api_retries=7, group='cloud')
        cloud = facade.Cloud.from_conf(self.conf)
        self.addCleanup(cloud.close)
        self.assertEqual(7, cloud._retry_policy.retries)


class TestFromKeystoneauthOptions(ConnectionTestCase):

    def test_password_options(self):
        # As oslo.config does for a configuration file, once the plugin's
        # options are known.
        self.conf.register_opts(
            ks_loading.get_auth_plugin_conf_options('password'),
            group='cloud')
        self.config.config(auth_type='password', group='cloud')
        self.config.config(
            auth_url='http://127.0.0.1:1/v3', username='admin',
            password=PASSWORD, project_name='admin',
            user_domain_name='Default', project_domain_name='Default',
            group='cloud')
        self.config.config(region_name='RegionOne', interface='internal',
                           group='cloud')
        conn = connection.build_connection(self.conf)
        self.assertEqual('RegionOne', conn.config.region_name)
        self.assertEqual('internal', conn.config.get_interface())
        self.assertEqual('http://127.0.0.1:1/v3',
                         conn.session.auth.auth_url)

    def test_nothing_configured(self):
        exc = self.assertRaises(exceptions.ConfigError,
                                connection.build_connection, self.conf)
        self.assertIn('auth_type', str(exc))

    def test_missing_required_option(self):
        self.config.config(auth_type='password', group='cloud')
        exc = self.assertRaises(exceptions.ConfigError,
                                connection.build_connection, self.conf)
        self.assertIn('auth_url', str(exc))

    def test_unknown_auth_type(self):
        self.config.config(auth_type='no-such-plugin', group='cloud')
        self.assertRaises(exceptions.ConfigError,
                          connection.build_connection, self.conf)


class TestEnvironmentReadOnce(ConnectionTestCase):
    """requests looks for proxies, a CA bundle and ~/.netrc in the
    environment on every request, scanning every variable twice: a third
    of an API call's CPU (issue 13). Where the environment sets none of
    them, the connection does not look again; where it does, requests
    keeps reading it as before."""

    SETTINGS = ('http_proxy', 'https_proxy', 'all_proxy', 'no_proxy',
                'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE')

    def setUp(self):
        super().setUp()
        for name in [key for key in os.environ
                     if key.lower() in {s.lower() for s in self.SETTINGS}]:
            self.useFixture(fixtures.EnvironmentVariable(name))
        self.config.config(cloud='lab', group='cloud')

    def test_nothing_set_nothing_read_again(self):
        conn = connection.build_connection(self.conf)
        self.assertFalse(conn.session.session.trust_env)

    def test_each_setting_keeps_requests_reading_it(self):
        for name, value in (('https_proxy', 'http://proxy.example:3128'),
                            ('HTTP_PROXY', 'http://proxy.example:3128'),
                            ('REQUESTS_CA_BUNDLE', '/etc/ssl/ca.pem'),
                            ('CURL_CA_BUNDLE', '/etc/ssl/ca.pem')):
            with fixtures.EnvironmentVariable(name, value):
                conn = connection.build_connection(self.conf)
                self.assertTrue(conn.session.session.trust_env, name)
