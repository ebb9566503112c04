"""``octavia-maint procedure list``: what ``job post`` can run."""

from cliff import lister

from octavia_maint.cli import constants
from octavia_maint.cli import formatters
from octavia_maint.flows import registry


class ListProcedure(lister.Lister):
    """List the maintenance procedures and their job post options."""

    def take_action(self, parsed_args):
        return constants.PROCEDURE_COLUMNS, (
            formatters.row(proc, constants.PROCEDURE_COLUMNS,
                           formatters.PROCEDURE)
            for proc in registry.PROCEDURES.values())
