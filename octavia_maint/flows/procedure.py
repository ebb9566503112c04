"""What a procedure is: parameters, a planning flow and a per-target flow.

Every maintenance procedure is a campaign: plan the targets once, then run
one small flow per target as a child job that any conductor may claim.
This module holds the shape every procedure fills in; the campaign
machinery in ``jobs/`` is the same for all of them.
"""

import dataclasses

from octavia_maint.common import exceptions


@dataclasses.dataclass(frozen=True)
class Parameter:
    """One parameter of a procedure, as ``job post`` accepts it."""

    name: str
    help: str
    kind: type = str
    required: bool = False
    default: object = None
    multiple: bool = False
    metavar: str = None
    flag: str = None

    @property
    def option(self):
        """The command-line option, e.g. ``--image-tag``."""
        return self.flag or known_opt(self.name)


class Procedure:
    """Base of every procedure; subclasses fill in the class attributes."""

    name = None
    description = None
    parameters = ()
    # Store keys the plan flow provides that every child needs too.
    child_inputs = ()
    # Store key a child receives its target's id under.
    target_key = None
    # Name of the plan atom that provides the targets.
    plan_atom = None
    # Name of the child atom whose result is the target's outcome.
    result_atom = None

    def validate(self, params):
        """Return ``params`` checked and completed with defaults.

        :raises InvalidInput: an unknown, missing or malformed parameter.
        """
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(params) - set(known))
        if unknown:
            raise exceptions.InvalidInput(
                reason='%s does not take %s' % (
                    self.name, ', '.join(sorted(unknown))))
        result = {}
        for p in self.parameters:
            value = params.get(p.name, p.default)
            if value is None and p.required:
                raise exceptions.InvalidInput(
                    reason='%s needs %s' % (self.name, p.option))
            result[p.name] = value
        self.check(result)
        return result

    def check(self, params):
        """Procedure-specific checks of validated parameters."""

    def preflight(self, cloud, params):
        """Check against the cloud what the job will need, before posting.

        :raises InvalidInput: a named target does not exist.
        """

    def campaign_store(self, params):
        """Values the campaign's store starts with (besides the job id)."""
        return {}

    def get_plan_flow(self, params, dry_run=False):
        """A flow that provides ``TARGETS`` and every ``child_inputs``."""
        raise NotImplementedError

    def get_target_flow(self, target_id):
        """A flow for one target; provides ``TARGET_RESULT``."""
        raise NotImplementedError

    def get_finish_flow(self, params):
        """A flow run after every child finished, or None.

        It runs before the campaign judges the children's outcome, so a
        closing gate ("restore heartbeat_timeout") is reached whatever
        they did.
        """
        return None

    def targets_of(self, params):
        """Ids this job names explicitly, to refuse overlapping jobs."""
        return set()


def known_opt(name):
    return '--' + name.replace('_', '-')
