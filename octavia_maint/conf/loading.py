"""Reading the configuration: parse, check the whole file, set up oslo.log.

oslo.config reads a value only when the code asks for it and ignores
names nobody registered, so a misspelt option silently keeps its default
and a bad value of an option this run does not need goes unnoticed until
a conductor needs it hours later. ``load`` makes oslo.config convert every
registered option at once and compares the file's sections and keys
(read by oslo.config's own ``ConfigParser``) with the registered names.
The CLI and the conductor both call it, so they refuse the same files.
"""

import difflib
import glob
import os

from oslo_config import cfg
from oslo_log import log as logging

from octavia_maint.common import exceptions
from octavia_maint.common import refusal

LOG = logging.getLogger(__name__)

PROJECT = 'octavia-maint'
DEFAULT_GROUP = 'DEFAULT'


def load(conf, args, default_config_files=None):
    """Parse ``args`` into ``conf``, check every value, set up oslo.log,
    then warn once per unknown group or option.

    :raises ConfigError: a file is missing or unreadable, or a value is
        not valid for its option (one line naming the option and file).
    """
    if 'log_file' not in conf:
        # Once per process: oslo.config refuses new CLI options after the
        # first parse, and tests (or a demo) may call main() again.
        logging.register_options(conf)
    conf.set_default('use_stderr', True)
    try:
        conf(args, project=PROJECT,
             default_config_files=default_config_files)
    except cfg.Error as e:
        raise exceptions.ConfigError(reason=str(e).strip())
    except SystemExit as e:
        # A file's bad value for a command-line option ([DEFAULT] debug):
        # oslo.config has printed the one line itself, then exits 1.
        if e.code == refusal.EXIT_FAILED:
            raise SystemExit(refusal.EXIT_BAD_INPUT)
        raise
    found, where = _parse_files(conf)
    _check_values(conf, found)
    logging.setup(conf, PROJECT)
    _warn_unknown(conf, found, where)


def _parse_files(conf):
    """``{group: {key: (raw value, file)}}`` of the files oslo.config read
    (the last file that sets a key wins, as in oslo.config) and
    ``{group: [files]}`` of where each section appears."""
    paths = list(conf.config_file)
    if conf.config_dir:
        paths += sorted(glob.glob(os.path.join(
            os.path.expanduser(conf.config_dir), '*.conf')))
    found, where = {}, {}
    for path in paths:
        sections = {}
        # oslo.config has just parsed these files without error.
        cfg.ConfigParser(path, sections).parse()
        for section, keys in sections.items():
            group = (section if section == DEFAULT_GROUP
                     else section.lower())
            where.setdefault(group, []).append(path)
            for key, values in keys.items():
                found.setdefault(group, {})[key.replace('-', '_')] = (
                    values[-1], path)
    return found, where


def _registered(conf):
    """``{group: [option names]}`` of every registered option."""
    groups = {DEFAULT_GROUP: []}
    for name in conf:
        try:
            value = conf[name]
        except ValueError:
            value = None  # an option of [DEFAULT] with a bad value
        if isinstance(value, cfg.ConfigOpts.GroupAttr):
            groups[name] = list(value)
        else:
            groups[DEFAULT_GROUP].append(name)
    return groups


def _check_values(conf, found):
    """Read every registered option, so oslo.config converts each value
    now; the first it refuses is the error."""
    for group, names in sorted(_registered(conf).items()):
        section = conf if group == DEFAULT_GROUP else conf[group]
        for name in names:
            try:
                getattr(section, name)
            except ValueError as e:  # ConfigFileValueError is one too
                # oslo.config raises from the type's own ValueError, whose
                # text says what is wrong without oslo's location dump.
                reason = e.__context__ if isinstance(
                    e.__context__, ValueError) else e
                raw, path = found.get(group, {}).get(name, ('?', '?'))
                raise exceptions.ConfigError(
                    reason='[%s] %s = %s: %s (in %s)' % (
                        group, name, raw, _sentence(reason), path))


def _sentence(error):
    text = str(error).strip()
    return text[:1].lower() + text[1:]


def _warn_unknown(conf, found, where):
    """One WARNING per group or option no code registered."""
    registered = _registered(conf)
    for group in sorted(where):
        if group not in registered:
            LOG.warning('Unknown group [%s] in %s is ignored%s', group,
                        ', '.join(where[group]),
                        _closest('[%s]', group, registered))
            continue
        for key, (_raw, path) in sorted(found.get(group, {}).items()):
            if key not in registered[group]:
                LOG.warning('Unknown option [%s] %s in %s is ignored%s',
                            group, key, path,
                            _closest('[%s] %%s' % group, key,
                                     registered[group]))


def _closest(template, name, known):
    matches = difflib.get_close_matches(name, list(known), n=1)
    return ('; did you mean %s?' % (template % matches[0])
            if matches else '')
