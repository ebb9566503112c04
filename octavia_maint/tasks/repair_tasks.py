"""Tasks of the repair procedure: fail over what is in ERROR, once.

After an outage operators fail over every load balancer in ERROR and
every amphora in ERROR. The rule, per load balancer (one target each, so
a load balancer is never failed over twice for two of its amphorae):

* in ERROR: a **load balancer failover** (Octavia refuses an amphora
  failover unless the load balancer is ACTIVE, and a load balancer
  failover rebuilds all its amphorae in one go);
* ACTIVE, with every amphora in ERROR (or FAILOVER_STOPPED, which the
  health manager leaves for the operator once its failover threshold is
  reached): a load balancer failover too, as
  no amphora is left to keep serving;
* ACTIVE, with some amphorae in ERROR: an **amphora failover** of each
  (openstacksdk ``failover_amphora``, which our cloud layer offers), one
  after the other and standby first, so the healthy amphora of a pair
  keeps serving and is not replaced for nothing.

Spare amphorae in ERROR (no load balancer), load balancers of providers
without amphorae and load balancers Octavia is busy with (PENDING_*) are
planned as skipped, with the reason.
"""

from oslo_log import log as logging

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.common import image_drift
from octavia_maint.tasks import amphora_tasks
from octavia_maint.tasks import base
from octavia_maint.tasks import failover
from octavia_maint.tasks import fleet_tasks

LOG = logging.getLogger(__name__)

LB_FAILOVER = 'load balancer failover'
AMPHORA_FAILOVER = 'amphora failover'


def how_to_repair(status, amphora_ids, error_amphora_ids):
    """LB_FAILOVER, AMPHORA_FAILOVER or None (nothing in ERROR).

    :param status: the load balancer's provisioning status (ACTIVE or
        ERROR).
    """
    if status == constants.ERROR:
        return LB_FAILOVER
    if not error_amphora_ids:
        return None
    if set(error_amphora_ids) == set(amphora_ids):
        return LB_FAILOVER
    return AMPHORA_FAILOVER


class SelectLoadBalancersToRepair(fleet_tasks.FleetScanTask):
    """List the load balancers in ERROR or with an amphora in ERROR.

    Healthy load balancers are left out of the plan (a fleet has
    thousands), except those named with ``--load-balancer``. Read-only,
    so safe to run again.
    """

    def execute(self, project_id, load_balancer_ids):
        """:returns: a list of ``{'id', 'name', 'project_id',
            'provisioning_status', 'action', 'reason'}`` (``id`` is the
            load balancer's, or a spare amphora's), targets to repair
            first, in a stable order.

        :raises NotFound: a named load balancer does not exist.
        """
        lbs, amphorae = self._scan(project_id, load_balancer_ids)
        plan = []
        for lb in lbs:
            row = self._plan_one(lb, amphorae.get(lb['id'], []))
            if row is None and load_balancer_ids:
                row = self._healthy(lb)
            if row is not None:
                plan.append(row)
        if not project_id and not load_balancer_ids:
            known = {lb['id'] for lb in lbs}
            plan.extend(self._orphan(a) for lb_id, amps in amphorae.items()
                        if lb_id not in known
                        for a in amphora_tasks.in_error(amps))
        plan.sort(key=lambda t: (t['action'] != constants.PLAN_RUN,
                                 t['project_id'] or '', t['id']))
        LOG.info('Planned %d load balancers for repair (%d in the plan)',
                 sum(t['action'] == constants.PLAN_RUN for t in plan),
                 len(plan))
        return plan

    @staticmethod
    def _row(lb, action, reason):
        return {'id': lb['id'], 'name': lb.get('name'),
                'project_id': lb.get('project_id'),
                'provisioning_status': lb['provisioning_status'],
                'action': action, 'reason': reason}

    def _healthy(self, lb):
        return self._row(lb, constants.PLAN_SKIP,
                         'provisioning status %s, no amphora in ERROR'
                         % lb['provisioning_status'])

    def _plan_one(self, lb, amphorae):
        """The row of one load balancer; None when nothing is in ERROR."""
        status = lb['provisioning_status']
        errors = amphora_tasks.in_error(amphorae)
        if status != constants.ERROR and not errors:
            return None
        listed = ', '.join('%s %s' % (a.get('role'), a['id'])
                           for a in errors)
        if lb.get('provider') not in constants.AMPHORA_PROVIDERS:
            return self._row(lb, constants.PLAN_SKIP,
                             'in ERROR, but provider %s has no amphorae '
                             'for Octavia to fail over' % lb.get('provider'))
        if status not in (constants.ACTIVE, constants.ERROR):
            return self._row(lb, constants.PLAN_SKIP,
                             '%s: Octavia is changing it (amphorae in '
                             'ERROR: %s); repair again if it ends in ERROR'
                             % (status, listed))
        how = how_to_repair(status, [a['id'] for a in amphorae],
                            [a['id'] for a in errors])
        if status == constants.ERROR:
            why = 'in ERROR' + (' (amphorae in ERROR: %s)' % listed
                                if errors else '')
        elif how == LB_FAILOVER:
            why = 'ACTIVE, every amphora in ERROR: %s' % listed
        else:
            why = 'ACTIVE, amphorae in ERROR: %s' % listed
        return self._row(lb, constants.PLAN_RUN, '%s: %s' % (how, why))

    @staticmethod
    def _orphan(amphora):
        lb_id = amphora.get('loadbalancer_id')
        reason = ('spare amphora in ERROR (no load balancer): delete it by '
                  'hand' if not lb_id else
                  'amphora in ERROR of load balancer %s, which is not '
                  'listed (deleted meanwhile?)' % lb_id)
        return {'id': amphora['id'], 'name': None, 'project_id': None,
                'provisioning_status': amphora.get('status'),
                'action': constants.PLAN_SKIP, 'reason': reason}


def _skipped(reason):
    return {'action': constants.OUTCOME_SKIPPED, 'reason': reason}


class RepairLoadBalancer(base.BaseTask):
    """Fail the load balancer, or its amphorae in ERROR, over once.

    Which failover follows :func:`how_to_repair` on the snapshot taken
    before. A failover cannot be undone, so there is no revert. Safe to
    run again (after ``kill -9``): PENDING_UPDATE is a failover in flight
    (ours) and is waited for; replaced amphora ids mean it already
    happened; a load balancer still in ERROR but no longer as the
    snapshot saw it (``updated_at``, amphorae) was failed over meanwhile
    and that failover failed: it is reported failed, never failed over a
    second time. Throttle, breaker and fence:
    :class:`failover.FencedFailover`.
    """

    def execute(self, campaign_id, lb_id, lb_snapshot):
        """:returns: ``{'action': 'failed_over'|'skipped', 'reason'}``.

        :raises CircuitOpen: the campaign had too many failed failovers.
        :raises FailoverFailed: the load balancer went (or stayed) ERROR,
            timed out, or stayed busy too long.
        """
        if lb_snapshot['deleted']:
            return _skipped('deleted before its repair')
        status = lb_snapshot['provisioning_status']
        if status not in (constants.ACTIVE, constants.ERROR):
            return _skipped('%s when its repair began: Octavia is changing '
                            'it; repair again if it ends in ERROR' % status)
        how = how_to_repair(status, lb_snapshot['amphora_ids'],
                            lb_snapshot['error_amphora_ids'])
        if how is None:
            return _skipped('no longer in ERROR')
        fenced = failover.FencedFailover(
            self.job, self.cloud, campaign_id, lb_id,
            status_before=lb_snapshot.get('status_tree'),
            topology=lb_snapshot.get('topology'))
        if how == LB_FAILOVER:
            return self._fail_over_load_balancer(fenced, lb_id, lb_snapshot)
        return self._fail_over_amphorae(fenced, lb_id, lb_snapshot)

    def _fail_over_load_balancer(self, fenced, lb_id, lb_snapshot):
        decision, reason = fenced.run(
            lambda: self._decide_load_balancer(lb_id, lb_snapshot),
            lambda: self.cloud.failover_load_balancer(lb_id))
        if decision == failover.SKIP:
            return _skipped(reason)
        if decision == failover.FAILOVER:
            LOG.info('Load balancer %s repaired by a load balancer '
                     'failover', lb_id)
        return {'action': constants.ACTION_FAILED_OVER, 'reason': '%s (%s)'
                % (LB_FAILOVER, reason)}

    def _decide_load_balancer(self, lb_id, lb_snapshot):
        lb, verdict = failover.load_balancer_or_verdict(self.cloud, lb_id)
        if verdict:
            return verdict
        status = lb['provisioning_status']
        amphorae = image_drift.live_amphorae(
            self.cloud.list_amphorae(loadbalancer_id=lb_id))
        ids = sorted(a['id'] for a in amphorae)
        if ids != lb_snapshot['amphora_ids']:
            if status == constants.ERROR:
                raise exceptions.FailoverFailed(
                    lb_id=lb_id, reason='amphorae were replaced but the '
                                        'load balancer is in ERROR')
            return failover.DONE, 'amphorae already replaced'
        errors = amphora_tasks.in_error(amphorae)
        if status == constants.ERROR:
            if (lb.get('updated_at') != lb_snapshot['updated_at'] or
                    {a['id'] for a in errors} !=
                    set(lb_snapshot['error_amphora_ids'])):
                raise exceptions.FailoverFailed(
                    lb_id=lb_id, reason='in ERROR again since its repair '
                                        'began (a failover failed): not '
                                        'failing it over a second time')
            return failover.FAILOVER, 'was in ERROR'
        if status != constants.ACTIVE:
            return failover.SKIP, 'provisioning status %s' % status
        if not errors:
            return failover.SKIP, 'no longer in ERROR'
        return failover.FAILOVER, 'every amphora was in ERROR'

    def _fail_over_amphorae(self, fenced, lb_id, lb_snapshot):
        replaced = []
        for amphora_id in lb_snapshot['error_amphora_ids']:
            decision, reason = fenced.run(
                lambda a=amphora_id: self._decide_amphora(lb_id, a),
                lambda a=amphora_id: self.cloud.failover_amphora(a),
                whole=False)
            if reason == failover.DELETED_MEANWHILE:
                return _skipped(reason)
            if decision == failover.FAILOVER:
                LOG.info('Amphora %s of load balancer %s repaired by an '
                         'amphora failover', amphora_id, lb_id)
            if decision != failover.SKIP:
                replaced.append(amphora_id)
        if not replaced:
            return _skipped('no amphora in ERROR any more')
        return {'action': constants.ACTION_FAILED_OVER, 'reason': '%s of %s'
                % (AMPHORA_FAILOVER, ', '.join(replaced))}

    def _decide_amphora(self, lb_id, amphora_id):
        lb, verdict = failover.load_balancer_or_verdict(self.cloud, lb_id)
        if verdict:
            return verdict
        amphora = next((a for a in image_drift.live_amphorae(
            self.cloud.list_amphorae(loadbalancer_id=lb_id))
            if a['id'] == amphora_id), None)
        if amphora is None:
            return failover.DONE, 'amphora %s already replaced' % amphora_id
        status = lb['provisioning_status']
        if status != constants.ACTIVE:
            # ACTIVE in the snapshot: ERROR now means a failover failed
            # (perhaps ours, before a crash); never issue a second one.
            raise exceptions.FailoverFailed(
                lb_id=lb_id, reason='it is %s; an amphora failover needs it '
                                    'ACTIVE' % status)
        if amphora.get('status') != constants.ERROR:
            return failover.SKIP, 'amphora %s no longer in ERROR' % (
                amphora_id)
        return failover.FAILOVER, 'amphora %s in ERROR' % amphora_id


class VerifyLoadBalancerRepaired(base.BaseTask):
    """Check that the load balancer is ACTIVE with no amphora in ERROR.

    Read-only, so safe to run again. A load balancer deleted meanwhile is
    skipped: nothing is left to repair.
    """

    def execute(self, lb_id, repair_outcome):
        """:returns: the target's outcome ``{'lb_id', 'outcome', 'reason'}``.

        :raises VerificationFailed: not ACTIVE, or an amphora in ERROR.
        """
        if repair_outcome['action'] == constants.OUTCOME_SKIPPED:
            return {'lb_id': lb_id, 'outcome': constants.OUTCOME_SKIPPED,
                    'reason': repair_outcome['reason']}
        lb = failover.find_load_balancer(self.cloud, lb_id)
        if lb is None:
            return failover.deleted_outcome(lb_id)
        errors = [a['id'] for a in amphora_tasks.in_error(
            image_drift.live_amphorae(
                self.cloud.list_amphorae(loadbalancer_id=lb_id)))]
        if lb['provisioning_status'] != constants.ACTIVE or errors:
            raise exceptions.VerificationFailed(
                lb_id=lb_id, reason='status %s, amphorae in ERROR: %s'
                % (lb['provisioning_status'], ', '.join(errors) or 'none'))
        return {'lb_id': lb_id, 'outcome': constants.OUTCOME_SUCCEEDED,
                'reason': repair_outcome['reason']}
