"""Columns: raw values for machines, rendered text for people."""

import testtools

from octavia_maint.cli import constants
from octavia_maint.cli import formatters
from tests.unit.cli import fakes


class TestDurationColumn(testtools.TestCase):

    def test_human_readable(self):
        for seconds, text in ((None, ''), (0, '0s'), (59.6, '1m00s'),
                              (125, '2m05s'), (3723, '1h02m03s')):
            self.assertEqual(text, formatters.DurationColumn(
                seconds).human_readable())

    def test_machine_readable_is_seconds(self):
        self.assertEqual(125, formatters.DurationColumn(125)
                         .machine_readable())


class TestDictColumn(testtools.TestCase):

    def test_keeps_order_and_joins_lists(self):
        column = formatters.DictColumn({'b': 1, 'a': ['x', 'y'], 'c': None})
        self.assertEqual('b=1, a=x,y, c=', column.human_readable())
        self.assertEqual({'b': 1, 'a': ['x', 'y'], 'c': None},
                         column.machine_readable())


class TestTargetsColumns(testtools.TestCase):

    def test_job_targets_table(self):
        targets = fakes.full_view()['targets']
        column = formatters.JobTargetsColumn(targets)
        lines = column.human_readable().splitlines()
        header = [c.strip() for c in lines[1].strip('|').split('|')]
        self.assertEqual(list(constants.TARGET_COLUMNS), header)
        self.assertEqual(len(targets) + 4, len(lines))
        self.assertIs(targets, column.machine_readable())

    def test_plan_targets_in_order(self):
        column = formatters.PlanTargetsColumn(fakes.plan()['targets'])
        text = column.human_readable()
        self.assertLess(text.index(fakes.LB_1), text.index(fakes.LB_2))
        self.assertIn('provisioning_status', text)

    def test_empty(self):
        self.assertEqual('', formatters.JobTargetsColumn([]).human_readable())


class TestJobOutput(testtools.TestCase):

    def test_a_plain_view(self):
        columns, data = formatters.job_output(fakes.job_view())
        self.assertEqual(constants.JOB_ROWS, columns)
        self.assertEqual(len(columns), len(data))

    def test_a_full_view_adds_progress_and_targets(self):
        columns, data = formatters.job_output(fakes.full_view())
        self.assertEqual(constants.JOB_SHOW_ROWS, columns)
        shown = dict(zip(columns, data))
        self.assertIsInstance(shown['counts'], formatters.DictColumn)
        self.assertIsInstance(shown['eta_seconds'],
                              formatters.DurationColumn)

    def test_row_of_an_object(self):
        class Thing:
            name = 'n'
            parameters = ()

        self.assertEqual(('n', ''), tuple(
            str(v) for v in formatters.row(Thing(), ('name', 'parameters'),
                                           formatters.PROCEDURE)))
