"""``job post`` options, built from the procedures' parameter schemas.

One generic mechanism for every procedure: each ``Parameter`` becomes one
argparse option, grouped under its procedure in the help. Options only
land in the namespace when given (``argparse.SUPPRESS``), under a prefixed
``dest`` that cannot clash with the command's own options, so the
procedure applies its own defaults and ``Procedure.validate`` rejects an
option that belongs to another procedure. A parameter two procedures
share (same option) is added once, under the first one; the registry
tests check that sharing procedures agree on its kind.
"""

import argparse

from octavia_maint.flows import registry

DEST_PREFIX = 'procedure_param:'


def add_procedure_options(parser, procedures=None):
    """Add every procedure's options to ``parser``, one group each."""
    seen = set()
    for proc in procedures or registry.PROCEDURES.values():
        shared = [p.option for p in proc.parameters if p.option in seen]
        description = proc.description
        if shared:
            description += ' Also takes %s (see above).' % ', '.join(shared)
        group = parser.add_argument_group('%s options' % proc.name,
                                          description)
        for param in proc.parameters:
            if param.option not in seen:
                seen.add(param.option)
                group.add_argument(param.option, **_argument(param))


def refuse_in_one_line(parser):
    """Make ``parser`` refuse a malformed option (``--older-than
    a-month``) with the one error line and exit code 2 of every other
    bad input, not argparse's usage block first."""
    def error(message):
        program = parser.prog.split()[0]
        parser.exit(2, '%s: error: %s\n' % (program, message))
    parser.error = error


def given_params(parsed_args):
    """``{parameter name: value}`` of the procedure options given."""
    return {dest[len(DEST_PREFIX):]: value
            for dest, value in vars(parsed_args).items()
            if dest.startswith(DEST_PREFIX)}


def _argument(param):
    kwargs = {'dest': DEST_PREFIX + param.name, 'default': argparse.SUPPRESS,
              'help': _help(param)}
    if param.kind is bool:
        # A flag turns off what is on by default (--no-verify-traffic).
        kwargs['action'] = 'store_false' if param.default else 'store_true'
    else:
        kwargs.update(type=param.kind, metavar=metavar(param),
                      action='append' if param.multiple else 'store')
    return kwargs


def metavar(param):
    """How the option's value is shown (``<tag>``); None for a flag."""
    if param.kind is bool:
        return None
    return param.metavar or '<%s>' % param.name.replace('_', '-')


def _help(param):
    notes = [param.help]
    if param.required:
        notes.append('Required.')
    if param.kind is not bool and param.default not in (None, False, (), []):
        notes.append('Default: %s.' % param.default)
    # argparse expands %-formats in help texts.
    return ' '.join(notes).replace('%', '%%')
