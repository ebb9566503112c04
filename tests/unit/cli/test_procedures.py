"""``procedure list``: the registry's procedures and their options."""

from octavia_maint.cli import constants
from octavia_maint.cli import procedures
from octavia_maint.flows import registry
from tests.unit.cli import base


class TestProcedureList(base.TestCommand):

    def setUp(self):
        super().setUp()
        self.cmd = procedures.ListProcedure(self.app, None)

    def test_list(self):
        parsed_args = self.check_parser(self.cmd, [], [])
        columns, data = self.cmd.take_action(parsed_args)
        self.assertEqual(constants.PROCEDURE_COLUMNS, columns)
        rows = {row[0]: row for row in data}
        self.assertEqual(set(registry.PROCEDURES), set(rows))
        name, description, parameters = rows['rotate-image']
        rotate = registry.get('rotate-image')
        self.assertEqual(rotate.description, description)
        self.assertEqual([p.option for p in rotate.parameters],
                         [p['option'] for p in
                          parameters.machine_readable()])
        self.assertIn('--load-balancer <load-balancer-id> (repeatable)',
                      parameters.human_readable().splitlines())
        # Listing procedures needs no database: the service is not opened.
        self.assertEqual([], self.service.calls)
