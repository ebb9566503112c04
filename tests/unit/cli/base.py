"""The harness of every command test: arglist, check_parser, take_action.

Commands run inside a real ``OctaviaMaintApp`` whose service factory
returns a ``FakeJobService``, so they reach the service exactly as in
production (``self.app.service``).
"""

import io

import fixtures
import testtools

from octavia_maint.cli import app
from tests.unit.cli import fakes


class TestCommand(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.service = fakes.FakeJobService()
        self.app = app.OctaviaMaintApp(
            service_factory=lambda conf: self.service,
            stdout=io.StringIO(), stderr=io.StringIO())
        self.useFixture(fixtures.MonkeyPatch(
            'octavia_maint.cli.progress.POLL_SECONDS', 0))

    def check_parser(self, cmd, arglist, verifylist):
        parsed_args = cmd.get_parser('check_parser').parse_args(arglist)
        for name, value in verifylist:
            self.assertEqual(value, getattr(parsed_args, name), name)
        return parsed_args

    def assertParserRejects(self, cmd, arglist):
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', io.StringIO()))
        error = self.assertRaises(
            SystemExit, cmd.get_parser('check_parser').parse_args, arglist)
        self.assertEqual(2, error.code)
