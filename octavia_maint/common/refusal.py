"""Bad input or configuration: one line on stderr and exit code 2.

The one place that decides a program's exit code from the error that
ended it, and prints that error as ``<prog>: error: <message>``: the CLI
(through cliff's error report) and the conductor (before it forks a
worker) both use it, so an operator and systemd read the same thing.
Exit 2 means "fix the input or the configuration"; the conductor's
systemd unit does not restart on it (``RestartPreventExitStatus=2``).
"""

import logging
import sys

from oslo_config import cfg

from octavia_maint.common import exceptions

EXIT_OK = 0
EXIT_FAILED = 1  # a followed job did not succeed, or an unexpected error
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # SIGINT, as a shell reports it (128 + 2)
BAD_INPUT_ERRORS = (exceptions.OctaviaMaintError, cfg.Error)


def exit_code(error):
    """2 for bad input or configuration, 130 for Ctrl-C, else 1."""
    if isinstance(error, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    return (EXIT_BAD_INPUT if isinstance(error, BAD_INPUT_ERRORS)
            else EXIT_FAILED)


def error_logger(prog, stream=None):
    """A logger outside the logging tree (oslo.log's setup leaves it be)
    that prints each record as one ``<prog>: error:`` line."""
    logger = logging.Logger(prog + '.errors')
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(prog + ': error: %(message)s'))
    logger.addHandler(handler)
    return logger


def refuse(prog, error, stream=None):
    """Print ``error`` as one line; return the exit code it calls for."""
    error_logger(prog, stream).error('%s', error)
    return exit_code(error)
