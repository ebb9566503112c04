"""How values that are not plain strings look in each output format.

Each column keeps the service's raw value for ``-f json|yaml|value``
(``machine_readable``) and renders it for people in ``-f table``
(``human_readable``), so one ``(columns, data)`` serves every formatter.
"""

from cliff import columns
import prettytable

from octavia_maint.cli import constants
from octavia_maint.cli import procedure_options


class DictColumn(columns.FormattableColumn):
    """A mapping, shown as ``key=value`` pairs in its own order."""

    def human_readable(self):
        return ', '.join('%s=%s' % (key, _plain(value))
                         for key, value in (self._value or {}).items())


class DurationColumn(columns.FormattableColumn):
    """A number of seconds, shown as ``1h02m03s``; empty when unknown."""

    def human_readable(self):
        if self._value is None:
            return ''
        minutes, seconds = divmod(int(round(self._value)), 60)
        hours, minutes = divmod(minutes, 60)
        if hours:
            return '%dh%02dm%02ds' % (hours, minutes, seconds)
        if minutes:
            return '%dm%02ds' % (minutes, seconds)
        return '%ds' % seconds


class TableColumn(columns.FormattableColumn):
    """Rows of dicts, shown as a nested table of ``columns``."""

    columns = ()

    def human_readable(self):
        if not self._value:
            return ''
        table = prettytable.PrettyTable(self.columns)
        table.align = 'l'
        for item in self._value:
            table.add_row([_plain(item.get(c)) for c in self.columns])
        return table.get_string()


class JobTargetsColumn(TableColumn):
    """A job's targets and the outcome of each."""

    columns = constants.TARGET_COLUMNS


class PlanTargetsColumn(TableColumn):
    """A dry run's targets, in order, with what the job would do to each."""

    columns = constants.PLAN_TARGET_COLUMNS


class WavesColumn(TableColumn):
    """A rehearsal's waves: the targets done between two gates."""

    columns = constants.WAVE_COLUMNS


class LinesColumn(columns.FormattableColumn):
    """A list of sentences, one a line."""

    def human_readable(self):
        return '\n'.join(self._value or ())


class StuckLoadBalancersColumn(TableColumn):
    """Load balancers not ACTIVE for too long, longest first."""

    columns = constants.STUCK_COLUMNS


class AmphoraeColumn(TableColumn):
    """Amphorae (those in ERROR, or FAILOVER_STOPPED)."""

    columns = constants.AMPHORA_COLUMNS


class LoadBalancersColumn(TableColumn):
    """Load balancers (those without amphorae)."""

    columns = constants.LOAD_BALANCER_COLUMNS


class CertificatesColumn(TableColumn):
    """Amphora certificates expiring soon, soonest first."""

    columns = constants.CERT_COLUMNS


class ProcedureParametersColumn(columns.FormattableColumn):
    """A procedure's parameter schema, shown as the options of job post."""

    def human_readable(self):
        return '\n'.join(_usage(p) for p in self._value)

    def machine_readable(self):
        return [{'name': p.name, 'option': p.option,
                 'metavar': procedure_options.metavar(p), 'help': p.help,
                 'required': p.required, 'repeatable': p.multiple,
                 'default': p.default}
                for p in self._value]


def _usage(param):
    words = [param.option, procedure_options.metavar(param)]
    if param.required:
        words.append('(required)')
    if param.multiple:
        words.append('(repeatable)')
    return ' '.join(w for w in words if w)


def _plain(value):
    if value is None:
        return ''
    if isinstance(value, (list, tuple)):
        return ','.join(str(v) for v in value)
    return str(value)


# Which columns of each output need a FormattableColumn.
JOB = {'parameters': DictColumn, 'counts': DictColumn,
       'eta_seconds': DurationColumn, 'targets': JobTargetsColumn}
PLAN = {'estimated_seconds': DurationColumn, 'targets': PlanTargetsColumn}
PROCEDURE = {'parameters': ProcedureParametersColumn}
REHEARSAL = {'parameters': DictColumn, 'skips': DictColumn,
             'waves': WavesColumn, 'gates': LinesColumn,
             'expected_seconds': DurationColumn, 'warnings': LinesColumn,
             'counts': DictColumn, 'snapshot': DictColumn,
             'targets': JobTargetsColumn}
REPORT = {'load_balancers_by_status': DictColumn,
          'stuck_after_seconds': DurationColumn,
          'stuck_load_balancers': StuckLoadBalancersColumn,
          'amphorae_in_error': AmphoraeColumn,
          'amphorae_failover_stopped': AmphoraeColumn,
          'load_balancers_without_amphorae': LoadBalancersColumn,
          'expiring_certificates': CertificatesColumn,
          'failover_window_seconds': DurationColumn}


def row(item, names, formatters):
    """The values of ``names`` from a dict (or an object's attributes)."""
    get = item.get if isinstance(item, dict) else item.__getattribute__
    return tuple(formatters[n](get(n)) if n in formatters else get(n)
                 for n in names)


def job_output(view):
    """``(columns, data)`` of a job view; a full view (from ``show``) adds
    the counts, the ETA and the per-target table."""
    names = (constants.JOB_SHOW_ROWS if 'targets' in view
             else constants.JOB_ROWS)
    return names, row(view, names, JOB)
