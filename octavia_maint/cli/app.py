"""The ``octavia-maint`` command: a cliff app over one ``JobService``.

Configuration is oslo.config, as in every OpenStack tool: ``--config-file``
(repeatable) and ``--config-dir``, else whichever of DEFAULT_CONFIG_FILES
exist. cliff's own flags feed oslo.log (``--debug``, ``--log-file``), which
logs to stderr only and stays quiet (WARNING) unless ``-v`` (INFO), ``-vv``
or ``--debug`` (DEBUG): stdout carries only the command's output.

Exit codes: 0 success; 1 a job the command followed did not succeed (or an
unexpected error); 2 bad input or configuration (our exceptions, oslo.config
errors, argparse usage). cliff reports a failed command through
``App.LOG``; here that logger writes the one line ``octavia-maint: error:
<message>`` (plus the traceback with ``--debug``).
"""

import logging as std_logging
import os
import sys

from cliff import app
from cliff import commandmanager
import pbr.version

from octavia_maint.common import refusal
from octavia_maint import conf
from octavia_maint.conf import loading
from octavia_maint.jobs import service as jobs_service

PROG = 'octavia-maint'
COMMAND_NAMESPACE = 'octavia_maint.cli'
DEFAULT_CONFIG_FILES = ('/etc/octavia-maint/octavia-maint.conf',
                        '~/.config/octavia-maint/octavia-maint.conf')
# cliff's verbosity (-q 0, default 1, -v 2) to the root log level; -vv and
# beyond turn on oslo.log's debug.
LOG_LEVELS = {0: std_logging.WARNING, 1: std_logging.WARNING,
              2: std_logging.INFO}
# Libraries that warn about each connection retry or close; without -v
# their errors reach the operator as our one error line instead.
CHATTY_LOGGERS = ('kazoo', 'taskflow.jobs.backends.impl_zookeeper')


class OctaviaMaintApp(app.App):
    """cliff app whose commands share one lazily opened ``JobService``.

    ``exit_code``, when set (by an error or by ``progress`` after a job
    that did not succeed), overrides the code cliff would return.
    """

    NAME = PROG

    def __init__(self, service_factory=jobs_service.JobService,
                 stdout=None, stderr=None):
        super().__init__(
            description='Durable, resumable Octavia maintenance jobs.',
            version=pbr.version.VersionInfo(PROG).version_string(),
            command_manager=commandmanager.CommandManager(COMMAND_NAMESPACE),
            stdout=stdout, stderr=stderr, deferred_help=True)
        self.LOG = refusal.error_logger(PROG, self.stderr)
        self.service_factory = service_factory
        self.exit_code = None
        self._service = None

    def build_option_parser(self, description, version,
                            argparse_kwargs=None):
        parser = super().build_option_parser(description, version,
                                             argparse_kwargs)
        parser.add_argument(
            '--config-file', action='append', default=[], metavar='<path>',
            help='Configuration file; repeat to layer several. Default: '
                 'those of %s that exist.' % ', '.join(DEFAULT_CONFIG_FILES))
        parser.add_argument(
            '--config-dir', metavar='<dir>',
            help='Directory of *.conf files read after --config-file.')
        return parser

    def configure_logging(self):
        """Load the configuration, then set up oslo.log (not cliff's logs).

        cliff calls this right after parsing its own options, before any
        command: the one place both are known.
        """
        try:
            load_config(self.options)
        except Exception as e:
            self._record(e)
            raise

    @property
    def service(self):
        """This invocation's ``JobService``, opened on first use."""
        if self._service is None:
            self._service = self.service_factory(conf.CONF)
        return self._service

    def close_service(self, failed=False):
        """Close this invocation's ``JobService`` if one was opened; a
        failed command leaves no new, empty state database behind."""
        if self._service is not None:
            service, self._service = self._service, None
            service.close(discard_unused=failed)

    def clean_up(self, cmd, result, err):
        if err is not None:
            self._record(err)
        self.close_service(failed=err is not None)

    def run(self, argv):
        result = super().run(argv)
        return result if self.exit_code is None else self.exit_code

    def _record(self, error):
        self.exit_code = refusal.exit_code(error)


def load_config(options):
    """Parse and check the configuration into ``conf.CONF``, set up
    oslo.log (``loading.load``), then the levels of this run."""
    args = []
    for path in options.config_file:
        args += ['--config-file', path]
    if options.config_dir:
        args += ['--config-dir', options.config_dir]
    if options.debug or options.verbose_level > max(LOG_LEVELS):
        args.append('--debug')
    if options.log_file:
        args += ['--log-file', options.log_file]
    configure(args, options.verbose_level)


def configure(args, verbose_level=1):
    """Load the configuration from oslo.config ``args`` (and the default
    files that exist), then set the log levels of this run; the openstack
    CLI plugin configures through here too."""
    loading.load(conf.CONF, args,
                 default_config_files=existing_default_config_files())
    level = (std_logging.DEBUG if conf.CONF.debug else
             LOG_LEVELS.get(verbose_level, std_logging.DEBUG))
    std_logging.getLogger().setLevel(level)
    for name in CHATTY_LOGGERS:
        std_logging.getLogger(name).setLevel(
            std_logging.ERROR if level >= std_logging.WARNING
            else std_logging.NOTSET)


def existing_default_config_files():
    paths = (os.path.expanduser(p) for p in DEFAULT_CONFIG_FILES)
    return [p for p in paths if os.path.isfile(p)]


def main(argv=None, service_factory=jobs_service.JobService):
    """The console script. Tests pass ``argv`` and a fake ``service_factory``
    (called with ``conf.CONF``, returning an object with JobService's API).
    """
    return OctaviaMaintApp(service_factory).run(
        sys.argv[1:] if argv is None else argv)
