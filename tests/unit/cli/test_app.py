"""``main()``: configuration, exit codes and the one-line error.

Every test runs the real cliff app end to end with a fake service
injected through ``main(argv, service_factory=...)``.
"""

import configparser
import importlib
import io
import json
import logging
import os

from cliff import command
import fixtures
from oslo_config import fixture as config_fixture
import testtools

from octavia_maint.cli import app
from octavia_maint.cli import constants
from octavia_maint.common import constants as common_constants
from octavia_maint.common import exceptions
from octavia_maint import conf
from octavia_maint.flows import registry
from tests.unit.cli import fakes

SETUP_CFG = os.path.join(os.path.dirname(__file__), '..', '..', '..',
                         'setup.cfg')


class TestMain(testtools.TestCase):

    def setUp(self):
        super().setUp()
        conf.CONF.reset()
        self.useFixture(config_fixture.Config(conf.CONF))
        for name in ('',) + app.CHATTY_LOGGERS:
            logger = logging.getLogger(name)
            self.addCleanup(setattr, logger, 'handlers',
                            list(logger.handlers))
            self.addCleanup(logger.setLevel, logger.level)
        self.stdout = io.StringIO()
        self.stderr = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', self.stdout))
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', self.stderr))
        self.useFixture(fixtures.MonkeyPatch(
            'octavia_maint.cli.progress.POLL_SECONDS', 0))
        tmp = self.useFixture(fixtures.TempDir()).path
        self.config_file = os.path.join(tmp, 'octavia-maint.conf')
        with open(self.config_file, 'w') as f:
            f.write('[persistence]\nstate_dir = %s\n' % tmp)
        self.service = fakes.FakeJobService(local=False)
        self.opened = []

    def factory(self, config):
        self.opened.append(config)
        return self.service

    def main(self, *argv, factory=None):
        return app.main(['--config-file', self.config_file] + list(argv),
                        service_factory=factory or self.factory)

    def assertOneLineError(self, text):
        err = self.stderr.getvalue()
        self.assertEqual('octavia-maint: error: %s\n' % text, err)

    def test_show_as_json(self):
        self.service.shows = [fakes.full_view()]
        self.assertEqual(0, self.main('job', 'show', fakes.JOB_ID,
                                      '-f', 'json'))
        shown = json.loads(self.stdout.getvalue())
        self.assertEqual(fakes.full_view()['targets'], shown['targets'])
        self.assertEqual(65, shown['eta_seconds'])
        self.assertEqual([conf.CONF], self.opened)
        self.assertEqual(1, self.service.closed)
        self.assertEqual('', self.stderr.getvalue())

    def test_show_as_table_nests_the_targets(self):
        self.service.shows = [fakes.full_view()]
        self.assertEqual(0, self.main('job', 'show', fakes.JOB_ID))
        out = self.stdout.getvalue()
        self.assertIn('stale amphora', out)
        self.assertIn('1m05s', out)

    def test_config_file_is_parsed(self):
        self.main('procedure', 'list', '-f', 'value', '-c', 'name')
        self.assertEqual([self.config_file], conf.CONF.config_file)
        self.assertEqual(''.join(n + '\n' for n in registry.PROCEDURES),
                         self.stdout.getvalue())
        # Listing procedures opens no database.
        self.assertEqual([], self.opened)

    def test_bad_input_is_one_line_and_exit_2(self):
        self.service.errors['post'] = exceptions.InvalidInput(
            reason="unknown procedure 'nope'; known: rotate-image")
        self.assertEqual(constants.EXIT_BAD_INPUT,
                         self.main('job', 'post', 'nope'))
        self.assertOneLineError(
            "unknown procedure 'nope'; known: rotate-image")
        self.assertEqual('', self.stdout.getvalue())
        self.assertEqual([], self.service.called('local_runner'))
        self.assertEqual(1, self.service.closed)

    def test_unreachable_backend_is_exit_2(self):
        def factory(config):
            raise exceptions.ConfigError(
                reason='cannot reach ZooKeeper at 127.0.0.1:1')

        self.assertEqual(constants.EXIT_BAD_INPUT,
                         self.main('job', 'list', factory=factory))
        self.assertOneLineError(
            'Configuration error: cannot reach ZooKeeper at 127.0.0.1:1')

    def test_bad_config_value_is_exit_2(self):
        with open(self.config_file, 'a') as f:
            f.write('[jobboard]\nbackend = carrier-pigeon\n')

        def factory(config):
            return config.jobboard.backend

        self.assertEqual(constants.EXIT_BAD_INPUT,
                         self.main('job', 'list', factory=factory))
        self.assertIn('carrier-pigeon', self.stderr.getvalue())
        self.assertEqual(1, len(self.stderr.getvalue().splitlines()))

    def test_missing_config_file_is_exit_2(self):
        missing = self.config_file + '.missing'
        self.assertEqual(constants.EXIT_BAD_INPUT, app.main(
            ['--config-file', missing, 'job', 'list'],
            service_factory=self.factory))
        self.assertOneLineError(
            'Configuration error: Failed to find some config files: %s'
            % missing)
        self.assertEqual([], self.opened)

    def test_usage_error_is_exit_2(self):
        error = self.assertRaises(SystemExit, self.main, 'job', 'post')
        self.assertEqual(2, error.code)
        self.assertNotIn('Traceback', self.stderr.getvalue())
        self.assertEqual([], self.service.calls)

    def test_unknown_command_is_exit_2(self):
        self.assertEqual(2, self.main('job', 'frobnicate'))

    def test_job_that_failed_while_waiting_is_exit_1(self):
        self.service.shows = [
            fakes.full_view(),
            fakes.full_view(state=common_constants.JOB_FAILED,
                            reason='1 of 2 targets failed')]
        self.assertEqual(constants.EXIT_FAILED, self.main(
            'job', 'post', 'rotate-image', '--wait', '-f', 'value',
            '-c', 'state'))
        self.assertEqual('failed\n', self.stdout.getvalue())
        self.assertIn('octavia-maint job resume', self.stderr.getvalue())

    def test_local_post_runs_here_and_succeeds(self):
        self.service.backend.local = True
        self.assertEqual(0, self.main('job', 'post', 'rotate-image',
                                      '-f', 'value', '-c', 'state'))
        self.assertEqual([fakes.JOB_ID], self.service.runner.ran)
        self.assertEqual('succeeded\n', self.stdout.getvalue())

    def test_unexpected_error_is_one_line_and_exit_1(self):
        self.service.errors['list'] = RuntimeError('disk on fire')
        self.assertEqual(constants.EXIT_FAILED, self.main('job', 'list'))
        self.assertOneLineError('disk on fire')

    def test_debug_shows_the_traceback(self):
        self.service.errors['list'] = exceptions.InvalidInput(reason='no')
        self.assertEqual(constants.EXIT_BAD_INPUT,
                         self.main('--debug', 'job', 'list'))
        self.assertIn('Traceback', self.stderr.getvalue())

    def test_quiet_by_default_verbose_with_v(self):
        def factory(config):
            logging.getLogger('octavia_maint.jobs').info('opening the board')
            return self.service

        self.main('job', 'list', factory=factory)
        self.assertNotIn('opening the board', self.stderr.getvalue())
        self.main('-v', 'job', 'list', factory=factory)
        self.assertIn('opening the board', self.stderr.getvalue())
        self.assertNotIn('opening the board', self.stdout.getvalue())

    def test_connection_chatter_only_with_v(self):
        def factory(config):
            logging.getLogger('kazoo.client').warning('Connection dropped')
            return self.service

        self.main('job', 'list', factory=factory)
        self.assertEqual('', self.stderr.getvalue())
        self.main('-v', 'job', 'list', factory=factory)
        self.assertIn('Connection dropped', self.stderr.getvalue())

    def test_main_can_run_twice_in_one_process(self):
        self.assertEqual(0, self.main('job', 'list'))
        self.assertEqual(0, self.main('job', 'list'))


class TestEntryPoints(testtools.TestCase):
    """setup.cfg names every command, one ``<Verb><Noun>`` class each."""

    def test_commands(self):
        parser = configparser.ConfigParser()
        parser.read(SETUP_CFG)
        entries = dict(
            line.split(' = ') for line in
            parser['entry_points']['octavia_maint.cli'].strip().splitlines())
        self.assertEqual(
            {'procedure_list', 'job_post', 'job_list', 'job_show',
             'job_watch', 'job_cancel', 'job_continue', 'job_resume',
             'demo', 'fleet_report', 'fleet_snapshot'}, set(entries))
        for name, target in entries.items():
            module, cls = target.split(':')
            factory = getattr(importlib.import_module(module), cls)
            self.assertTrue(issubclass(factory, command.Command), name)
            self.assertEqual(1, len(factory.__doc__.splitlines()), name)
