"""A canary wave: a few load balancers first, the rest of the fleet after.

An image (or CA) that boots fine and then passes no traffic must hurt a
few load balancers, not the fleet. With ``--canary N`` the campaign
(flows/campaign.py) fails over N load balancers chosen to cover both
topologies and several projects (:func:`choose_canaries`), checks them,
then waits at a gate for the operator, or with ``--canary-soak`` watches
them for that long and goes on by itself while they still serve. A
canary that failed (its failover, its image check or the data-plane
check) or stops serving fails the campaign before any other load
balancer is touched, and the procedure's circuit breaker action runs
(rotate-image: the image this job uploaded loses its tag).
"""

from oslo_log import log as logging
from taskflow import task

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.common import waiting
from octavia_maint import conf
from octavia_maint.runtime import context
from octavia_maint.tasks import traffic

LOG = logging.getLogger(__name__)
CONF = conf.CONF


def choose_canaries(targets, count):
    """The ``count`` targets to run first, among those planned to run.

    Greedy and stable: each pick is the first target in plan order that
    adds a topology not covered yet, else a project not covered yet, else
    simply the next one; so three canaries of a fleet with both
    topologies in two projects cover both topologies and both projects.

    :param targets: plan rows ``{'id', 'action', 'project_id',
        'topology'}`` (``topology`` and ``project_id`` may be missing).
    :returns: the chosen rows, in plan order.
    """
    runnable = [t for t in targets if t['action'] == constants.PLAN_RUN]
    chosen, topologies, projects = [], set(), set()
    left = list(enumerate(runnable))
    while left and len(chosen) < count:
        best = max(left, key=lambda item: (
            item[1].get('topology') not in topologies,
            item[1].get('project_id') not in projects, -item[0]))
        left.remove(best)
        chosen.append(best)
        topologies.add(best[1].get('topology'))
        projects.add(best[1].get('project_id'))
    return [t for _, t in sorted(chosen, key=lambda item: item[0])]


class SelectCanaries(task.Task):
    """Pick the canaries among the planned targets.

    A pure function of the saved plan, so safe to run again (after a
    crash or ``job resume``) with the same answer; nothing to revert.
    """

    def execute(self, targets, canary_count):
        """:returns: the canaries' plan rows."""
        canaries = choose_canaries(targets, canary_count)
        LOG.info('Canaries: %s', ', '.join(
            '%s (%s, project %s)' % (t['id'], t.get('topology'),
                                     t.get('project_id')) for t in canaries))
        return canaries


class _CanaryTask(task.Task):
    """What a failed canary makes the campaign do: run the breaker action
    (once, idempotent) and fail."""

    def __init__(self, breaker_action=None, **kwargs):
        """:param breaker_action: ``(cloud, job_id, child_inputs) -> str``,
            the procedure's (:meth:`Procedure.breaker_action`), or None.
        """
        super().__init__(**kwargs)
        self._breaker_action = breaker_action

    def _fail(self, job, job_id, child_inputs, failed, total):
        """:param failed: ``{lb_id: why}`` of the canaries that failed.
        :raises CanariesFailed: always.
        """
        if self._breaker_action is not None:
            note = self._breaker_action(job.cloud, job_id, child_inputs)
            if note:
                LOG.warning('Campaign %s: %s', job_id, note)
                job.record(protection=note)
        raise exceptions.CanariesFailed(
            count=len(failed), total=total, details='; '.join(
                '%s: %s' % (lb_id, why) for lb_id, why in failed.items()))


class CheckCanaries(_CanaryTask):
    """Fail the campaign unless every canary succeeded; otherwise read
    their status trees (what the soak compares with) and say so.

    Read-only but for the breaker action, which is idempotent: safe to
    run again. Nothing to revert: the job stops, the rest untouched.
    """

    def __init__(self, subject, **kwargs):
        """:param subject: ``(child_inputs) -> str``, what the canaries
            were moved onto ("on image X")."""
        super().__init__(**kwargs)
        self._subject = subject

    def execute(self, job_id, canary_results, **child_inputs):
        """:returns: ``({lb_id: status tree}, summary)`` of the canaries
            that succeeded; the summary is the gate's instructions.
        :raises CanariesFailed: a canary failed or was not attempted.
        """
        job = context.current()
        results = {r['target']: r for r in canary_results.values()}
        failed = {lb_id: r['reason'] for lb_id, r in sorted(results.items())
                  if r['outcome'] not in (constants.OUTCOME_SUCCEEDED,
                                          constants.OUTCOME_SKIPPED)}
        if failed:
            self._fail(job, job_id, child_inputs, failed, len(results))
        healthy = sorted(lb_id for lb_id, r in results.items()
                         if r['outcome'] == constants.OUTCOME_SUCCEEDED)
        trees = {lb_id: traffic.read_tree(job.cloud, lb_id)
                 for lb_id in healthy}
        summary = ('%d canaries healthy %s (%s); "octavia-maint job continue '
                   '%s" to roll out the rest'
                   % (len(healthy), self._subject(child_inputs),
                      ', '.join(healthy) or 'none failed over', job_id))
        LOG.info('Campaign %s: %s', job_id, summary)
        return {lb_id: tree for lb_id, tree in trees.items()
                if tree is not None}, summary


class SoakCanaries(_CanaryTask):
    """Watch the canaries for ``canary_soak`` seconds (0: one look) and
    fail the campaign as soon as one serves less than when it was
    checked.

    Read-only but for the breaker action: safe to run again (the watch
    starts over). Nothing to revert.
    """

    def execute(self, job_id, canary_trees, canary_soak, **child_inputs):
        """:raises CanariesFailed: a canary stopped serving as before."""
        job = context.current()

        def look():
            """``{lb_id: regressions}`` of the canaries serving less."""
            found = {}
            for lb_id, before in sorted(canary_trees.items()):
                after = traffic.read_tree(job.cloud, lb_id)
                lines = [] if after is None else traffic.regressions(
                    before, after)
                if lines:
                    found[lb_id] = traffic.describe(lines, 'after the soak')
            return found

        try:
            with job.waiting('%d canaries to keep serving for %ss'
                             % (len(canary_trees), canary_soak),
                             canary_soak):
                failed = waiting.wait_until(
                    look, until=bool, interval=CONF.verify.poll_interval,
                    timeout=canary_soak, check=job.check_active)
        except exceptions.WaitTimeout:
            LOG.info('Campaign %s: the canaries served as before for %ss',
                     job_id, canary_soak)
            return
        self._fail(job, job_id, child_inputs, failed, len(canary_trees))
