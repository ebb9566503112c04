"""``octavia-maint fleet report``: the fleet's health, for people and
Prometheus; ``fleet snapshot``: the fleet as a simulator fleet file.

Both read the cloud with this command's own ``[cloud]`` credentials; post
no job and need neither the persistence database nor ZooKeeper.
"""

import argparse
import os

from cliff import show
import yaml

from octavia_maint.cli import constants
from octavia_maint.cli import formatters
from octavia_maint.cli import rehearsal
from octavia_maint.cli import shell
from octavia_maint.common import exceptions
from octavia_maint import conf
from octavia_maint.report import fleet
from octavia_maint.report import prometheus
from octavia_maint.report import snapshot


def _non_negative(kind):
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError('not a number: %r' % text)
        if value < 0:
            raise argparse.ArgumentTypeError('must not be negative')
        return value
    return parse


def _check_folder(path, option):
    """Refuse a file in a missing folder before reading the fleet."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise exceptions.InvalidInput(
            reason='%s: the folder %s does not exist' % (option, folder))


class ShowFleetReport(show.ShowOne):
    """Report the fleet's health: stuck LBs, errors, drift, certs, failovers"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--stuck-after', metavar='<seconds>', type=_non_negative(int),
            default=3600,
            help='Report load balancers not ACTIVE for longer than this. '
                 'Default: 3600.')
        parser.add_argument(
            '--cert-days', metavar='<days>', type=_non_negative(float),
            default=14,
            help='Report amphora certificates expiring within this many '
                 'days. Default: 14.')
        parser.add_argument(
            '--failover-window', metavar='<seconds>',
            type=_non_negative(int), default=86400,
            help='Count the failovers of this many last seconds. Default: '
                 '86400.')
        parser.add_argument(
            '--prometheus-file', metavar='<path>',
            help='Also write the figures in Prometheus text format to this '
                 'file, atomically (for node_exporter\'s textfile '
                 'collector).')
        return parser

    def take_action(self, parsed_args):
        if parsed_args.prometheus_file:
            _check_folder(parsed_args.prometheus_file, '--prometheus-file')
        report = fleet.build_from_conf(
            conf.CONF, shell.connection(self.app),
            stuck_after=parsed_args.stuck_after,
            cert_days=parsed_args.cert_days,
            failover_window=parsed_args.failover_window)
        if parsed_args.prometheus_file:
            try:
                prometheus.write(report, parsed_args.prometheus_file)
            except OSError as e:
                # Not str(e): it names prometheus-client's temporary file.
                raise exceptions.InvalidInput(
                    reason='--prometheus-file: cannot write %s: %s'
                    % (parsed_args.prometheus_file, e.strerror))
        return constants.REPORT_ROWS, formatters.row(
            report, constants.REPORT_ROWS, formatters.REPORT)


class SnapshotFleet(show.ShowOne):
    """Write the fleet, read-only, as a simulator fleet file"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '-o', '--output', metavar='<path>', required=True,
            help='Write the fleet file (YAML) here; serve it with '
                 'octavia-maint-simulator --fleet <path>.')
        parser.add_argument(
            '--anonymize', action='store_true', default=False,
            help='Replace project, load balancer, amphora and server ids '
                 'and names and VIP addresses by consistent pseudonyms, so '
                 'the file can be shared.')
        return parser

    def take_action(self, parsed_args):
        _check_folder(parsed_args.output, '--output')
        fleet = snapshot.build_from_conf(
            conf.CONF, shell.connection(self.app),
            failover_seconds=rehearsal.failover_duration(
                conf.CONF, shell.connection(self.app))['seconds'],
            anonymize=parsed_args.anonymize)
        try:
            with open(parsed_args.output, 'w', encoding='utf-8') as out:
                yaml.safe_dump(fleet, out, sort_keys=False)
        except OSError as e:
            raise exceptions.InvalidInput(
                reason='--output: cannot write %s: %s'
                % (parsed_args.output, e.strerror))
        summary = rehearsal.snapshot_summary(fleet['snapshot'])
        summary.update(output=os.path.abspath(parsed_args.output),
                       anonymized=parsed_args.anonymize)
        return constants.SNAPSHOT_ROWS, formatters.row(
            summary, constants.SNAPSHOT_ROWS, {})
