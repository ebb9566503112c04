"""Tasks over the whole fleet: decide which load balancers a campaign covers.

Planning reads the cloud once (all load balancers of the scope, all their
amphorae) and returns a plain list, saved with the campaign: a re-planned
campaign after a crash reads the saved list instead of planning again,
so the set of children never changes under a running campaign.
"""

from concurrent import futures

from oslo_log import log as logging

from octavia_maint.common import constants
from octavia_maint.common import estimates
from octavia_maint.common import exceptions
from octavia_maint.common import image_drift
from octavia_maint.tasks import base
from octavia_maint.tasks import failover

LOG = logging.getLogger(__name__)

# Listing amphorae per load balancer is cheaper than listing the whole
# fleet's only for a handful of named load balancers.
PER_LB_LISTING_LIMIT = 20


class FleetScanTask(base.BaseTask):
    """Reads the load balancers in a job's scope and their amphorae."""

    def _load_balancers(self, project_id, load_balancer_ids):
        if load_balancer_ids:
            return [self.cloud.get_load_balancer(i)
                    for i in load_balancer_ids]
        filters = {'project_id': project_id} if project_id else {}
        return self.cloud.list_load_balancers(**filters)

    def _load_balancers_now(self, project_id, load_balancer_ids):
        """The scope as it is now: a named load balancer deleted since
        the plan is simply gone."""
        if load_balancer_ids:
            return [lb for lb in (failover.find_load_balancer(self.cloud, i)
                                  for i in load_balancer_ids) if lb]
        return self._load_balancers(project_id, load_balancer_ids)

    def _scan(self, project_id, load_balancer_ids, now=False):
        """``(load balancers, {lb id: live amphorae})`` of the scope.

        :param now: a named load balancer deleted since the plan is
            simply gone (:meth:`_load_balancers_now`), not an error.

        Over the whole fleet or a project, both listings are read side by
        side: at 10,000 load balancers each takes seconds, and the first
        failover of a campaign waits for both (issue 13).
        """
        read = self._load_balancers_now if now else self._load_balancers
        if load_balancer_ids:
            lbs = read(project_id, load_balancer_ids)
            if len(lbs) <= PER_LB_LISTING_LIMIT:
                return lbs, _by_lb([
                    a for lb in lbs
                    for a in self.cloud.list_amphorae(
                        loadbalancer_id=lb['id'])])
            return lbs, _by_lb(self.cloud.list_amphorae())
        with futures.ThreadPoolExecutor(1) as pool:
            amphorae = pool.submit(self.cloud.list_amphorae)
            lbs = read(project_id, load_balancer_ids)
            return lbs, _by_lb(amphorae.result())


def _by_lb(amphorae):
    """``{lb id: live amphorae}`` of an amphora listing."""
    by_lb = {}
    for amphora in image_drift.live_amphorae(amphorae):
        by_lb.setdefault(amphora.get('loadbalancer_id'), []).append(amphora)
    return by_lb


NO_AMPHORAE = ('no amphorae: an amphora load balancer without any; check '
               'it with openstack loadbalancer amphora list')


def with_failover_stopped(reason, amphorae):
    """A plan row's ``reason``, naming the load balancer's amphorae in
    FAILOVER_STOPPED: Octavia's health manager reached its failover
    threshold and stopped replacing them, which the operator must hear
    whether or not this job fails the load balancer over."""
    stopped = sorted(a['id'] for a in amphorae
                     if a.get('status') == constants.FAILOVER_STOPPED)
    if not stopped:
        return reason
    return ('%s; amphorae %s are FAILOVER_STOPPED (Octavia stopped failing '
            'them over at its failover threshold)'
            % (reason, ', '.join(stopped)))


def current_reason(target_image, refresh_before):
    """Why a load balancer needs no rotation."""
    if refresh_before:
        return ('already on image %s, no amphora created before %s'
                % (target_image['id'], refresh_before))
    return 'already on image %s' % target_image['id']


def excused(child_results):
    """Ids of the targets a child skipped, each for a stated reason."""
    return {r['target'] for r in child_results.values()
            if r['outcome'] == constants.OUTCOME_SKIPPED and r.get('target')}


def raise_unless_converged(needing):
    """:raises ScopeNotConverged: listing ``needing`` (load balancer ids)."""
    if needing:
        raise exceptions.ScopeNotConverged(count=len(needing),
                                           ids=', '.join(sorted(needing)))


class SelectLoadBalancersToRotate(FleetScanTask):
    """List the load balancers in scope and mark those with stale amphorae.

    Read-only, so safe to run again.
    """

    def execute(self, target_image, project_id, load_balancer_ids,
                include_error, refresh_before=None):
        """:param refresh_before: ISO 8601 time; amphorae created before
            it are stale even on the target image (``--older-than``).
        :returns: a list of ``{'id', 'name', 'project_id', 'topology',
            'provisioning_status', 'action', 'reason'}`` (with
            ``refresh_before``, the targets' ``inputs`` carry it to their
            children), targets to rotate first, in a stable order.

        :raises NotFound: a named load balancer does not exist.
        """
        lbs, amphorae = self._scan(project_id, load_balancer_ids)
        plan = [self._plan_one(lb, amphorae.get(lb['id'], []), target_image,
                               include_error, refresh_before) for lb in lbs]
        plan.sort(key=lambda t: (t['action'] != constants.PLAN_RUN,
                                 t['project_id'] or '', t['id']))
        LOG.info('Planned %d of %d load balancers for rotation to image %s',
                 sum(t['action'] == constants.PLAN_RUN for t in plan),
                 len(plan), target_image['id'])
        return plan

    @staticmethod
    def _plan_one(lb, amphorae, target_image, include_error,
                  refresh_before):
        def target(action, reason):
            row = {'id': lb['id'], 'name': lb.get('name'),
                   'project_id': lb.get('project_id'),
                   'topology': (estimates.topology_of(amphorae)
                                if amphorae else None),
                   'provisioning_status': lb['provisioning_status'],
                   'action': action,
                   'reason': with_failover_stopped(reason, amphorae)}
            if refresh_before and action == constants.PLAN_RUN:
                # A child's own input: campaigns posted before
                # --older-than existed have none in their store.
                row['inputs'] = {constants.REFRESH_BEFORE: refresh_before}
            return row

        if lb.get('provider') not in constants.AMPHORA_PROVIDERS:
            return target(constants.PLAN_SKIP, 'provider %s has no amphorae'
                          % lb.get('provider'))
        if not amphorae:
            return target(constants.PLAN_SKIP, NO_AMPHORAE)
        stale = sum(image_drift.amphora_is_stale(a, target_image)
                    for a in amphorae)
        old = sum(image_drift.amphora_is_old(a, refresh_before) and
                  not image_drift.amphora_is_stale(a, target_image)
                  for a in amphorae)
        if not stale + old:
            return target(constants.PLAN_SKIP, current_reason(
                target_image, refresh_before))
        status = lb['provisioning_status']
        if status == constants.ERROR and not include_error:
            return target(constants.PLAN_SKIP,
                          'in ERROR (add --include-error to repair it)')
        if status not in (constants.ACTIVE, constants.ERROR,
                          constants.PENDING_UPDATE):
            return target(constants.PLAN_SKIP,
                          'provisioning status %s' % status)
        reason = '%d of %d amphorae stale' % (stale, len(amphorae))
        if old:
            reason += ', %d created before %s' % (old, refresh_before)
        return target(constants.PLAN_RUN, reason)


class CheckScopeRotated(SelectLoadBalancersToRotate):
    """Before success: no load balancer in scope still needs the rotation.

    Looks at the scope once more with the plan's own rule: a load
    balancer with a stale amphora that is not skipped for a stated reason
    (provider, ERROR without ``--include-error``, a busy status, skipped
    by its child) means the fleet has not converged, whatever the
    children reported. Read-only, so safe to run again.
    """

    def execute(self, target_image, project_id, load_balancer_ids,
                include_error, child_results, refresh_before=None):
        """:param refresh_before: as the plan's: an amphora created
            before it still needs the rotation, one created since (the
            failover's) does not.
        :raises ScopeNotConverged: listing the load balancers."""
        lbs, amphorae = self._scan(project_id, load_balancer_ids, now=True)
        skipped = excused(child_results)
        raise_unless_converged([
            lb['id'] for lb in lbs if lb['id'] not in skipped and
            self._plan_one(lb, amphorae.get(lb['id'], []), target_image,
                           include_error, refresh_before)['action']
            == constants.PLAN_RUN])
        LOG.info('Every load balancer in scope runs image %s (or was '
                 'skipped for a stated reason)', target_image['id'])
