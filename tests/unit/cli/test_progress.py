"""Following a job: the progress line, polling, running here, Ctrl-C."""

import io

import testtools

from octavia_maint.cli import constants
from octavia_maint.cli import progress
from octavia_maint.common import constants as common_constants
from tests.unit.cli import base
from tests.unit.cli import fakes


class FakeTty(io.StringIO):
    def isatty(self):
        return True


class TestProgressLine(testtools.TestCase):

    def test_not_a_tty_prints_one_line_per_change(self):
        stream = io.StringIO()
        line = progress.ProgressLine(stream)
        for text in ('a', 'a', 'b'):
            line.show(text)
        line.close()
        self.assertEqual('a\nb\n', stream.getvalue())

    def test_a_tty_rewrites_the_line(self):
        stream = FakeTty()
        line = progress.ProgressLine(stream)
        line.show('a')
        line.show('b')
        line.close()
        self.assertEqual('\ra\x1b[K\rb\x1b[K\n', stream.getvalue())

    def test_nothing_shown_nothing_written(self):
        stream = FakeTty()
        progress.ProgressLine(stream).close()
        self.assertEqual('', stream.getvalue())


class TestDescribe(testtools.TestCase):

    def test_counts_eta_and_state(self):
        self.assertEqual(
            'job %s running: 1 succeeded, 1 pending; ETA 1m05s'
            % fakes.JOB_ID, progress.describe(fakes.full_view()))

    def test_running_targets_fail_over_or_wait_for_a_slot(self):
        running = {'target': fakes.LB_1, 'name': 'web', 'project_id': 'p1',
                   'outcome': common_constants.OUTCOME_RUNNING, 'reason': ''}
        view = fakes.full_view(targets=[running] * 3, phases={
            common_constants.PHASE_FAILING_OVER: 1,
            common_constants.PHASE_WAITING_FOR_SLOT: 2})
        self.assertEqual(
            'job %s running: 3 running (1 failing over, 2 waiting for a '
            'throttle slot); ETA 1m05s' % fakes.JOB_ID,
            progress.describe(view))

    def test_waiting_and_no_targets(self):
        view = fakes.full_view(targets=[], eta_seconds=None,
                               state=common_constants.JOB_WAITING,
                               waiting_for='restart the health managers')
        self.assertEqual('job %s waiting; waiting for: restart the health '
                         'managers' % fakes.JOB_ID, progress.describe(view))


class TestContinueHint(testtools.TestCase):

    def test_says_what_to_do_and_how_to_continue(self):
        view = fakes.job_view(state=common_constants.JOB_WAITING,
                              waiting_for='restart the health managers')
        self.assertEqual(
            'Job %s waits for you: restart the health managers\nWhen done, '
            'run: octavia-maint job continue %s'
            % (fakes.JOB_ID, fakes.JOB_ID),
            progress.continue_hint(view))


class TestFollow(base.TestCommand):

    def test_board_without_wait_leaves_the_job(self):
        self.service.backend.local = False
        self.assertIsNone(progress.follow(self.app, fakes.JOB_ID, False))
        self.assertEqual([], self.service.calls)

    def test_local_mode_runs_even_without_wait(self):
        view = progress.follow(self.app, fakes.JOB_ID, False)
        self.assertEqual(common_constants.JOB_SUCCEEDED, view['state'])
        self.assertEqual([fakes.JOB_ID], self.service.runner.ran)
        self.assertIsNone(self.app.exit_code)

    def test_local_failure_exits_1_and_says_how_to_continue(self):
        self.service.shows = [fakes.full_view(
            state=common_constants.JOB_FAILED)]
        progress.follow(self.app, fakes.JOB_ID, False)
        self.assertEqual(constants.EXIT_FAILED, self.app.exit_code)
        # A failed job kept what succeeded: both ways on are named.
        self.assertIn('Finish it with: octavia-maint job resume '
                      + fakes.JOB_ID, self.app.stderr.getvalue())
        self.assertIn('revert it with: octavia-maint job cancel '
                      + fakes.JOB_ID, self.app.stderr.getvalue())

    def test_ctrl_c_stops_the_runner_and_says_how_to_resume(self):
        self.service.runner = fakes.FakeRunner(block=True)
        interrupted = fakes.full_view(state=common_constants.JOB_INTERRUPTED)
        self.service.shows = [fakes.full_view(), KeyboardInterrupt(),
                              interrupted]
        view = progress.follow(self.app, fakes.JOB_ID, False)
        self.assertEqual(1, self.service.runner.stop_calls)
        self.assertEqual(common_constants.JOB_INTERRUPTED, view['state'])
        self.assertEqual(constants.EXIT_FAILED, self.app.exit_code)
        err = self.app.stderr.getvalue()
        self.assertIn('stopping job %s after its running step' % fakes.JOB_ID,
                      err)
        self.assertIn('Job %s was stopped. Continue it with: octavia-maint '
                      'job resume %s' % (fakes.JOB_ID, fakes.JOB_ID), err)

    def test_watch_polls_until_the_job_ends(self):
        self.service.shows = [
            fakes.full_view(state=common_constants.JOB_WAITING),
            fakes.full_view(),
            fakes.full_view(state=common_constants.JOB_INTERRUPTED)]
        view = progress.watch(self.app, fakes.JOB_ID)
        self.assertEqual(common_constants.JOB_INTERRUPTED, view['state'])
        self.assertEqual(3, len(self.service.called('show')))
        self.assertEqual([], self.service.called('local_runner'))
