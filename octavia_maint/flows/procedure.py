"""What a procedure is: parameters, a planning flow and a per-target flow.

Every maintenance procedure is a campaign: plan the targets once, then run
one small flow per target as a child job that any conductor may claim.
This module holds the shape every procedure fills in; the campaign
(``flows/campaign.py``) is the same for all of them.
"""

import dataclasses
import math
import os
import re

from octavia_maint.common import constants
from octavia_maint.common import estimates
from octavia_maint.common import exceptions
from octavia_maint.tasks import canary_tasks
from octavia_maint.tasks import preflight_tasks

UUID_RE = re.compile(r'^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$')


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
    # Whether the scope check tells amphorae from before the campaign by
    # their created_at (to the second): the campaign's start mark is
    # then a whole second (campaign_tasks.MarkChildrenStarted).
    compares_creation_times = False
    # What a failed job of this procedure leaves in the cloud (it stops
    # and keeps what succeeded), and what ``job cancel`` reverts: ``job
    # show`` says it, and doc/source/failed-or-cancelled-jobs.rst.
    left_by_failure = 'the targets that succeeded stay done.'
    left_by_cancel = 'nothing this procedure did can be undone.'

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
            _check_text(p, value)
            result[p.name] = value
        self.check(result)
        return result

    def check(self, params):
        """Procedure-specific checks of validated parameters."""

    def get_preflight_flow(self, params):
        """Checks against the cloud before posting, or None.

        A flow of ``tasks/preflight_tasks.py`` atoms that ``job post`` and
        dry runs run in memory: a check raises ``InvalidInput`` (a named
        target does not exist). One that provides ``DOUBT`` says why the
        job would probably not do what the operator means: ``job post``
        refuses it unless ``--force`` (exit 2, one line) and a dry run
        shows it in its notes.
        """
        return None

    def confirmation_needed(self, params):
        """Why these parameters only allow a plan, or None.

        A procedure that acts only when the operator confirms (``--yes``)
        says here what is missing: ``job post`` then shows the plan and
        posts nothing, and ``JobService.post`` refuses.
        """
        return None

    def campaign_store(self, params):
        """Values the campaign's store starts with (besides the job id)."""
        return {}

    def child_params(self, params):
        """Child inputs that come from the job's parameters, given to the
        campaign's children when its flow is built rather than saved in
        its store: a job posted before such a parameter existed gets its
        default."""
        return {}

    def canary_subject(self, params, child_inputs):
        """What the canaries were moved onto, for the canary gate ("on
        image X"); only procedures that take ``--canary`` say."""
        raise NotImplementedError

    def get_plan_flow(self, params, dry_run=False):
        """A flow that provides ``TARGETS`` and every ``child_inputs``.

        A target row is ``{'id', 'action', 'reason'}`` with optional
        ``name``, ``project_id`` and ``inputs``: store values for that
        target's child only.
        """
        raise NotImplementedError

    def get_target_flow(self, target_id):
        """A flow for one target; provides ``TARGET_RESULT``."""
        raise NotImplementedError

    def breaker_action(self, params):
        """What to do once the campaign's circuit breaker opens, or None.

        :returns: ``(cloud, job_id, child_inputs) -> str``, run once by
            the campaign when failovers keep failing; the text says what
            it did, for ``job show``.
        """
        return None

    def get_scope_check(self, params):
        """A task run before the campaign reports success, or None.

        It looks at the scope in the cloud once more and fails, listing
        them, if targets still need the work and were not skipped for a
        stated reason (DESIGN.md section 3, "succeeded is checked against
        the cloud").
        """
        return None

    def get_finish_flow(self, params):
        """A flow run after every child finished, or None.

        It runs before the campaign judges the children's outcome, so a
        closing gate ("restore heartbeat_timeout") is reached whatever
        they did.
        """
        return None

    def plan_notes(self, params, results):
        """What a dry run adds to its notes from what its plan flow found
        (``results``: the flow's saved results by name), or None."""
        return None

    def fails_over(self, params):
        """Whether each target's work is a failover, so estimates and
        the ETA follow this cloud's failover durations."""
        return True

    def canary_notes(self, params, targets):
        """What a dry run says of the canary wave (``--canary``), or None:
        which load balancers go first, and what follows them."""
        if not params.get('canary'):
            return None
        canaries = canary_tasks.choose_canaries(targets, params['canary'])
        then = ('a gate until job continue' if params.get('canary_soak')
                is None else 'a watch of %ds, then the rest by itself'
                % params['canary_soak'])
        return ('Canaries first: %s; then %s. A canary that fails (or '
                'stops serving) stops the job before any other load '
                'balancer is touched.' % (', '.join(
                    '%s (%s, project %s)' % (t['id'], t.get('topology'),
                                             t.get('project_id'))
                    for t in canaries) or 'none', then))

    def estimate(self, params, targets, throttle, failover_times):
        """How long a campaign over ``targets`` takes, for a dry run.

        :param targets: the plan rows to run (each may say its
            ``topology``).
        :param throttle: the ``[throttle]`` options.
        :param failover_times: a
            :class:`octavia_maint.common.estimates.FailoverTimes`: this
            cloud's recent failovers per topology, or the configured
            value where there are none.
        :returns: ``{'rounds', 'estimated_seconds', 'notes'}``; by default
            one failover per target, ``max_concurrent_failovers`` at once,
            the notes saying which figures were used.
        """
        topologies = [t.get('topology') for t in targets]
        notes = failover_times.notes(topologies) if targets else None
        if not self.fails_over(params):
            # Not failovers: their history says nothing of this work.
            failover_times = estimates.FailoverTimes(
                lambda topology: None, throttle.expected_failover_seconds)
            notes = None
        return {'rounds': math.ceil(len(targets) /
                                    throttle.max_concurrent_failovers),
                'estimated_seconds': failover_times.campaign_seconds(
                    topologies, throttle.max_concurrent_failovers,
                    throttle.min_interval_seconds),
                'notes': notes}

    def targets_of(self, params):
        """Ids this job names explicitly, to refuse overlapping jobs."""
        return set()


# Which load balancers a load balancer campaign covers (rotate-image,
# rotate-certs, repair); ``check_scope`` checks them.
LOAD_BALANCER_FILTER = (
    Parameter('project_id', 'Only load balancers of this project.',
              metavar='<project-id>'),
    Parameter('load_balancer_ids', 'Only this load balancer (ID); repeat '
              'for more.', multiple=True, metavar='<load-balancer-id>',
              flag='--load-balancer'),
)
LOAD_BALANCER_SCOPE = LOAD_BALANCER_FILTER + (
    Parameter('include_error', 'Also fail over load balancers in ERROR (a '
              'failover is how Octavia repairs them).', kind=bool,
              default=False),
)


# The data-plane check after each failover (tasks/traffic.py), which every
# procedure that fails over takes; on by default.
VERIFY_TRAFFIC = Parameter(
    'verify_traffic', 'Do not check after each failover that the load '
    'balancer serves as before (Octavia\'s status tree: each listener, pool '
    'and member ONLINE before is ONLINE again within [verify] '
    'settle_seconds).', kind=bool, default=True,
    flag='--no-verify-traffic')

# A canary wave (flows/campaign.py) before the rest of the fleet.
CANARY = (
    Parameter('canary', 'Fail over this many load balancers first (both '
              'topologies and several projects where possible), check that '
              'they serve as before, then wait at a gate for job continue.',
              kind=int, metavar='<count>'),
    Parameter('canary_soak', 'With --canary: instead of the gate, watch the '
              'canaries this many seconds, then go on by itself if they '
              'still serve as before.', kind=int, metavar='<seconds>'),
)


def traffic_inputs(params):
    """The child input of :data:`VERIFY_TRAFFIC` (on for jobs posted before
    it existed)."""
    return {constants.VERIFY_TRAFFIC: params.get('verify_traffic', True)}


def check_canary(params, failover=True):
    """Check ``--canary`` and ``--canary-soak``.

    :param failover: whether these parameters make the job fail over.
    :raises InvalidInput: a count below 1, a negative soak, a soak
        without canaries, canaries of a job that fails nothing over.
    """
    count, soak = params['canary'], params['canary_soak']
    if count is not None and count < 1:
        raise exceptions.InvalidInput(
            reason='--canary must be at least 1, not %d' % count)
    if soak is not None and (count is None or soak < 0):
        raise exceptions.InvalidInput(
            reason='--canary-soak is a number of seconds (0 or more) that '
                   'goes with --canary')
    if count is not None and not failover:
        raise exceptions.InvalidInput(
            reason='--canary is for jobs that fail load balancers over')


def check_scope(params):
    """Check and complete ``project_id`` / ``load_balancer_ids``.

    :raises InvalidInput: a malformed id, or both given.
    """
    params['load_balancer_ids'] = list(params['load_balancer_ids'] or [])
    bad = [i for i in params['load_balancer_ids'] if not UUID_RE.match(i)]
    if bad:
        raise exceptions.InvalidInput(
            reason='not a load balancer ID: %s' % ', '.join(bad))
    if params['project_id'] and params['load_balancer_ids']:
        raise exceptions.InvalidInput(
            reason='give --project-id or --load-balancer, not both')


def scope_preflight(params):
    """The preflight check that the scope names what exists."""
    return preflight_tasks.CheckScopeExists(
        name=constants.PREFLIGHT_SCOPE,
        inject={constants.PROJECT_ID: params['project_id'],
                constants.LOAD_BALANCER_IDS: params['load_balancer_ids']})


def known_opt(name):
    return '--' + name.replace('_', '-')


def _check_text(param, value):
    """Refuse text that is not UTF-8 (Python hands such bytes of the
    command line over as surrogates, which no API request can carry).

    :raises InvalidInput: naming the option and the bytes given.
    """
    for text in (value if isinstance(value, (list, tuple)) else [value]):
        if not isinstance(text, str):
            continue
        try:
            text.encode('utf-8')
        except UnicodeEncodeError:
            raise exceptions.InvalidInput(
                reason='%s is not valid UTF-8: %s'
                % (param.option, repr(os.fsencode(text))[1:]))
