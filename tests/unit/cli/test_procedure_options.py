"""``job post`` options built from procedure parameter schemas."""

import argparse
import contextlib
import io

import testtools

from octavia_maint.cli import app
from octavia_maint.cli import jobs
from octavia_maint.cli import procedure_options
from octavia_maint.flows import procedure
from octavia_maint.flows import registry
from tests.unit.cli import fakes


class Alpha(procedure.Procedure):
    name = 'alpha'
    description = 'First test procedure.'
    parameters = (
        procedure.Parameter('tag', 'A tag.', required=True, metavar='<tag>'),
        procedure.Parameter('lb_ids', 'A load balancer.', multiple=True,
                            flag='--load-balancer'),
        procedure.Parameter('yes', 'Really (100% sure).', kind=bool,
                            default=False),
        procedure.Parameter('rounds', 'How many.', kind=int, default=3),
        procedure.Parameter('check', 'Do not check.', kind=bool,
                            default=True, flag='--no-check'),
    )


class Beta(procedure.Procedure):
    name = 'beta'
    description = 'Second test procedure.'
    parameters = (
        procedure.Parameter('tag', 'Also a tag.'),
        procedure.Parameter('host', 'A compute host.', metavar='<host>'),
    )


class TestProcedureOptions(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.parser = argparse.ArgumentParser()
        self.parser.add_argument('--wait', action='store_true')
        procedure_options.add_procedure_options(self.parser, [Alpha(),
                                                              Beta()])

    def test_only_given_options_are_params(self):
        parsed_args = self.parser.parse_args(
            ['--tag', 't', '--load-balancer', 'a', '--load-balancer', 'b',
             '--yes', '--rounds', '5', '--wait'])
        self.assertEqual({'tag': 't', 'lb_ids': ['a', 'b'], 'yes': True,
                          'rounds': 5},
                         procedure_options.given_params(parsed_args))

    def test_a_flag_turns_off_what_is_on_by_default(self):
        self.assertEqual({'check': False}, procedure_options.given_params(
            self.parser.parse_args(['--no-check'])))
        text = self.parser.format_help()
        self.assertIn('Do not check.', text)
        self.assertNotIn('Default: True', text)

    def test_nothing_given_leaves_defaults_to_the_procedure(self):
        self.assertEqual({}, procedure_options.given_params(
            self.parser.parse_args([])))

    def test_options_of_another_procedure_are_passed_on(self):
        # Procedure.validate then says which procedure does not take it.
        self.assertEqual({'host': 'h'}, procedure_options.given_params(
            self.parser.parse_args(['--host', 'h'])))

    def test_groups_and_help(self):
        text = self.parser.format_help()
        self.assertIn('alpha options:', text)
        self.assertIn('beta options:', text)
        self.assertIn('Also takes --tag (see above).', text)
        self.assertEqual(1, text.count('A tag.'))
        self.assertIn('A tag. Required.', text)
        self.assertIn('How many. Default: 3.', text)
        self.assertIn('(100% sure)', text)
        self.assertIn('--load-balancer <lb-ids>', text)

    def test_kind_is_the_argparse_type(self):
        self.assertRaises(SystemExit, self.parser.parse_args,
                          ['--rounds', 'many'])

    def test_a_malformed_value_is_refused_in_one_line(self):
        self.parser.prog = 'octavia-maint job post'
        procedure_options.refuse_in_one_line(self.parser)
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            error = self.assertRaises(SystemExit, self.parser.parse_args,
                                      ['--rounds', 'many'])
        self.assertEqual(2, error.code)
        self.assertEqual("octavia-maint: error: argument --rounds: invalid "
                         "int value: 'many'\n", stderr.getvalue())

    def test_metavar(self):
        self.assertEqual('<tag>', procedure_options.metavar(
            Alpha.parameters[0]))
        self.assertEqual('<lb-ids>', procedure_options.metavar(
            Alpha.parameters[1]))
        self.assertIsNone(procedure_options.metavar(Alpha.parameters[2]))


class TestRegistrySchemas(testtools.TestCase):
    """The real procedures fit the one option mechanism."""

    def test_shared_options_agree(self):
        seen = {}
        for proc in registry.PROCEDURES.values():
            for param in proc.parameters:
                shape = (param.name, param.kind, param.multiple)
                self.assertEqual(shape, seen.setdefault(param.option, shape),
                                 '%s of %s' % (param.option, proc.name))

    def test_every_option_reaches_the_service_through_job_post(self):
        # cliff drops an option string that clashes with one of the
        # command's own (conflict_handler 'ignore'): none may.
        cmd = jobs.PostJob(app.OctaviaMaintApp(
            service_factory=lambda conf: fakes.FakeJobService()), None)
        parser = cmd.get_parser('job post')
        for proc in registry.PROCEDURES.values():
            for param in proc.parameters:
                value = [] if param.kind is bool else ['1']
                parsed_args = parser.parse_args(
                    [proc.name, param.option] + value)
                self.assertIn(param.name,
                              procedure_options.given_params(parsed_args))
