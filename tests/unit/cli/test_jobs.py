"""One class per ``job`` command: arglist, check_parser, take_action."""

from octavia_maint.cli import constants
from octavia_maint.cli import formatters
from octavia_maint.cli import jobs
from octavia_maint.common import constants as common_constants
from tests.unit.cli import base
from tests.unit.cli import fakes


class TestJobPost(base.TestCommand):

    def setUp(self):
        super().setUp()
        self.cmd = jobs.PostJob(self.app, None)

    def test_post_on_the_board_prints_the_id(self):
        self.service.backend.local = False
        parsed_args = self.check_parser(
            self.cmd, ['rotate-image', '--image-tag', 'amp',
                       '--load-balancer', fakes.LB_1,
                       '--load-balancer', fakes.LB_2],
            [('procedure', 'rotate-image'), ('dry_run', False),
             ('wait', False), ('force', False)])
        columns, data = self.cmd.take_action(parsed_args)
        self.assertEqual(('id',), columns)
        self.assertEqual((fakes.JOB_ID,), data)
        self.assertEqual(
            [(('rotate-image', {'image_tag': 'amp', 'load_balancer_ids':
                                [fakes.LB_1, fakes.LB_2]}),
              {'force': False})],
            self.service.called('post'))
        self.assertEqual([], self.service.called('local_runner'))

    def test_only_given_options_reach_the_service(self):
        parsed_args = self.check_parser(
            self.cmd, ['rotate-image', '--include-error', '--force'],
            [('force', True)])
        self.cmd.take_action(parsed_args)
        [(args, kwargs)] = self.service.called('post')
        self.assertEqual(('rotate-image', {'include_error': True}), args)
        self.assertEqual({'force': True}, kwargs)

    def test_local_mode_runs_the_job_here_and_shows_it(self):
        parsed_args = self.check_parser(self.cmd, ['rotate-image'], [])
        columns, data = self.cmd.take_action(parsed_args)
        self.assertEqual([fakes.JOB_ID], self.service.runner.ran)
        self.assertEqual(constants.JOB_SHOW_ROWS, columns)
        shown = dict(zip(columns, data))
        self.assertEqual(common_constants.JOB_SUCCEEDED, shown['state'])
        self.assertIsInstance(shown['targets'], formatters.JobTargetsColumn)
        self.assertIsNone(self.app.exit_code)

    def test_wait_on_the_board_watches_until_the_end(self):
        self.service.backend.local = False
        self.service.shows = [
            fakes.full_view(),
            fakes.full_view(state=common_constants.JOB_FAILED,
                            reason='1 of 2 targets failed')]
        parsed_args = self.check_parser(self.cmd, ['rotate-image', '--wait'],
                                        [('wait', True)])
        columns, data = self.cmd.take_action(parsed_args)
        self.assertEqual('1 of 2 targets failed',
                         dict(zip(columns, data))['reason'])
        self.assertEqual(2, len(self.service.called('show')))
        self.assertEqual(constants.EXIT_FAILED, self.app.exit_code)
        self.assertEqual([], self.service.runner.ran)

    def test_dry_run_shows_the_plan_and_posts_nothing(self):
        parsed_args = self.check_parser(
            self.cmd, ['rotate-image', '--dry-run', '--project-id', 'p1'],
            [('dry_run', True)])
        columns, data = self.cmd.take_action(parsed_args)
        self.assertEqual(constants.PLAN_ROWS, columns)
        plan = dict(zip(columns, data))
        self.assertEqual(1, plan['to_run'])
        self.assertEqual('2m00s', plan['estimated_seconds'].human_readable())
        self.assertEqual([fakes.LB_1, fakes.LB_2],
                         [t['id'] for t in
                          plan['targets'].machine_readable()])
        self.assertEqual([(('rotate-image', {'project_id': 'p1'}), {})],
                         self.service.called('plan'))
        self.assertEqual([], self.service.called('post'))

    def test_dry_run_and_wait_exclude_each_other(self):
        self.assertParserRejects(
            self.cmd, ['rotate-image', '--dry-run', '--wait'])

    def test_procedure_is_required(self):
        self.assertParserRejects(self.cmd, [])

    def test_option_value_is_required(self):
        self.assertParserRejects(self.cmd, ['rotate-image', '--image-tag'])


class TestJobList(base.TestCommand):

    def setUp(self):
        super().setUp()
        self.cmd = jobs.ListJob(self.app, None)

    def test_list(self):
        parsed_args = self.check_parser(
            self.cmd, [], [('state', None), ('all', False), ('long', False)])
        columns, data = self.cmd.take_action(parsed_args)
        self.assertEqual(constants.JOB_COLUMNS, columns)
        self.assertEqual(
            [(fakes.JOB_ID, 'rotate-image', 'running', 'operator',
              '2026-01-02T03:04:05')], list(data))
        self.assertEqual([((), {'state': None, 'include_children': False})],
                         self.service.called('list'))

    def test_list_state_all_long(self):
        parsed_args = self.check_parser(
            self.cmd, ['--state', 'FAILED', '--all', '--long'],
            [('state', 'failed'), ('all', True), ('long', True)])
        columns, data = self.cmd.take_action(parsed_args)
        self.assertEqual(constants.JOB_COLUMNS_LONG, columns)
        [row] = list(data)
        self.assertEqual({'image_tag': 'amphora', 'load_balancer_ids': []},
                         row[-1].machine_readable())
        self.assertEqual([((), {'state': 'failed',
                                'include_children': True})],
                         self.service.called('list'))

    def test_unknown_state_is_rejected(self):
        self.assertParserRejects(self.cmd, ['--state', 'done'])


class TestJobShow(base.TestCommand):

    def setUp(self):
        super().setUp()
        self.cmd = jobs.ShowJob(self.app, None)

    def test_show(self):
        self.service.shows = [fakes.full_view()]
        parsed_args = self.check_parser(self.cmd, [fakes.JOB_ID],
                                        [('job_id', fakes.JOB_ID)])
        columns, data = self.cmd.take_action(parsed_args)
        self.assertEqual(constants.JOB_SHOW_ROWS, columns)
        shown = dict(zip(columns, data))
        self.assertEqual('host-a:4242', shown['conductor'])
        self.assertEqual(1, shown['counts'].machine_readable()['succeeded'])
        self.assertEqual('1m05s', shown['eta_seconds'].human_readable())
        self.assertEqual(fakes.full_view()['targets'],
                         shown['targets'].machine_readable())
        self.assertIn('stale amphora', shown['targets'].human_readable())
        self.assertEqual([((fakes.JOB_ID,), {})], self.service.called('show'))
        # Showing a failed job is not a failure of the command.
        self.assertIsNone(self.app.exit_code)

    def test_job_id_is_required(self):
        self.assertParserRejects(self.cmd, [])


class TestJobWatch(base.TestCommand):

    def setUp(self):
        super().setUp()
        self.cmd = jobs.WatchJob(self.app, None)

    def test_watch_until_succeeded(self):
        self.service.shows = [
            fakes.full_view(state=common_constants.JOB_QUEUED),
            fakes.full_view(),
            fakes.full_view(),
            fakes.full_view(state=common_constants.JOB_SUCCEEDED,
                            eta_seconds=None)]
        parsed_args = self.check_parser(self.cmd, [fakes.JOB_ID],
                                        [('job_id', fakes.JOB_ID)])
        columns, data = self.cmd.take_action(parsed_args)
        self.assertEqual('succeeded', dict(zip(columns, data))['state'])
        self.assertEqual(4, len(self.service.called('show')))
        progress = self.app.stderr.getvalue().splitlines()
        # One line per change: the two identical running polls print once.
        self.assertEqual(3, len(progress))
        self.assertIsNone(self.app.exit_code)

    def test_watch_a_cancelled_job_exits_1(self):
        self.service.shows = [fakes.full_view(
            state=common_constants.JOB_CANCELLED)]
        parsed_args = self.check_parser(self.cmd, [fakes.JOB_ID], [])
        self.cmd.take_action(parsed_args)
        self.assertEqual(constants.EXIT_FAILED, self.app.exit_code)
        self.assertIn('octavia-maint job resume ' + fakes.JOB_ID,
                      self.app.stderr.getvalue())


class TestJobCancel(base.TestCommand):

    def setUp(self):
        super().setUp()
        self.cmd = jobs.CancelJob(self.app, None)

    def test_cancel(self):
        parsed_args = self.check_parser(self.cmd, [fakes.JOB_ID],
                                        [('job_id', fakes.JOB_ID)])
        columns, data = self.cmd.take_action(parsed_args)
        self.assertEqual(constants.JOB_ROWS, columns)
        self.assertEqual(fakes.JOB_ID, dict(zip(columns, data))['id'])
        self.assertEqual([((fakes.JOB_ID,), {})],
                         self.service.called('cancel'))


class TestJobResume(base.TestCommand):

    def setUp(self):
        super().setUp()
        self.cmd = jobs.ResumeJob(self.app, None)

    def test_resume_on_the_board_returns_at_once(self):
        self.service.backend.local = False
        parsed_args = self.check_parser(
            self.cmd, [fakes.JOB_ID], [('job_id', fakes.JOB_ID),
                                       ('wait', False)])
        columns, data = self.cmd.take_action(parsed_args)
        self.assertEqual(constants.JOB_ROWS, columns)
        self.assertEqual('queued', dict(zip(columns, data))['state'])
        self.assertEqual([((fakes.JOB_ID,), {})],
                         self.service.called('resume'))
        self.assertEqual([], self.service.called('show'))

    def test_resume_on_the_board_with_wait(self):
        self.service.backend.local = False
        parsed_args = self.check_parser(self.cmd, [fakes.JOB_ID, '--wait'],
                                        [('wait', True)])
        columns, data = self.cmd.take_action(parsed_args)
        self.assertEqual(constants.JOB_SHOW_ROWS, columns)
        self.assertEqual([], self.service.runner.ran)

    def test_resume_in_local_mode_runs_here(self):
        parsed_args = self.check_parser(self.cmd, [fakes.JOB_ID], [])
        columns, data = self.cmd.take_action(parsed_args)
        self.assertEqual([fakes.JOB_ID], self.service.runner.ran)
        self.assertEqual('succeeded', dict(zip(columns, data))['state'])


class TestJobContinue(base.TestCommand):

    def setUp(self):
        super().setUp()
        self.cmd = jobs.ContinueJob(self.app, None)

    def test_on_the_board_releases_and_returns(self):
        self.service.backend.local = False
        parsed_args = self.check_parser(self.cmd, [fakes.JOB_ID],
                                        [('job_id', fakes.JOB_ID),
                                         ('wait', False)])
        columns, data = self.cmd.take_action(parsed_args)
        self.assertEqual(constants.JOB_ROWS, columns)
        self.assertEqual([((fakes.JOB_ID,), {})],
                         self.service.called('continue_job'))
        self.assertEqual([], self.service.runner.ran)

    def test_local_job_nobody_runs_continues_here(self):
        self.service.views = [fakes.job_view(
            state=common_constants.JOB_WAITING, conductor=None,
            waiting_for='restart the health managers')]
        parsed_args = self.check_parser(self.cmd, [fakes.JOB_ID], [])
        columns, data = self.cmd.take_action(parsed_args)
        self.assertEqual([fakes.JOB_ID], self.service.runner.ran)
        self.assertEqual('succeeded', dict(zip(columns, data))['state'])

    def test_local_job_another_process_runs_is_left_to_it(self):
        self.service.views = [fakes.job_view(
            state=common_constants.JOB_WAITING, conductor='host-a:4242')]
        parsed_args = self.check_parser(self.cmd, [fakes.JOB_ID], [])
        self.cmd.take_action(parsed_args)
        self.assertEqual([], self.service.runner.ran)
        self.assertEqual([], self.service.called('show'))
