"""Tasks on one load balancer: snapshot, fail over, verify the image.

These run inside a campaign's child job, one load balancer each, on any
conductor. A conductor may die at any instruction, so each ``execute``
looks at the cloud before it acts: the amphora ids seen before the
failover are the fence that tells "our failover already happened" from
"nothing was done yet", and Octavia's PENDING_UPDATE tells "in flight".
"""

from oslo_log import log as logging

from octavia_maint.common import constants
from octavia_maint.common import estimates
from octavia_maint.common import exceptions
from octavia_maint.common import image_drift
from octavia_maint.tasks import amphora_tasks
from octavia_maint.tasks import base
from octavia_maint.tasks import failover
from octavia_maint.tasks import fleet_tasks
from octavia_maint.tasks import traffic

LOG = logging.getLogger(__name__)


def skipped(reason):
    return {'action': constants.OUTCOME_SKIPPED, 'reason': reason}


class SnapshotLoadBalancer(base.BaseTask):
    """Record the load balancer's status and amphora ids before acting.

    Read-only, so safe to run again; once saved, the snapshot is what a
    resumed failover compares the cloud against. ``updated_at`` and the
    amphorae in ERROR tell a repair whether an ERROR load balancer is
    still exactly as it found it, or was failed over meanwhile. The
    status tree is what the data-plane check compares the load balancer
    with after its failover (``tasks/traffic.py``).
    """

    def execute(self, lb_id, verify_traffic=True):
        """:param verify_traffic: read the status tree too.
        :returns: ``{'deleted', 'provisioning_status', 'updated_at',
            'amphora_ids', 'error_amphora_ids', 'topology',
            'status_tree'}``; the amphorae in ERROR standby first, the
            order a repair replaces them in; the status tree None unless
            ``verify_traffic``.
        """
        try:
            lb = self.cloud.get_load_balancer(lb_id)
        except exceptions.NotFound:
            return {'deleted': True, 'provisioning_status': None,
                    'updated_at': None, 'amphora_ids': [],
                    'error_amphora_ids': [], 'topology': None,
                    'status_tree': None}
        amphorae = image_drift.live_amphorae(
            self.cloud.list_amphorae(loadbalancer_id=lb_id))
        return {'deleted': False,
                'provisioning_status': lb['provisioning_status'],
                'updated_at': lb.get('updated_at'),
                'amphora_ids': sorted(a['id'] for a in amphorae),
                'error_amphora_ids': [
                    a['id'] for a in amphora_tasks.in_error(amphorae)],
                'topology': estimates.topology_of(amphorae),
                'status_tree': (traffic.read_tree(self.cloud, lb_id)
                                if verify_traffic else None)}


class FailoverLoadBalancer(base.BaseTask):
    """Fail the load balancer over and wait until it is ACTIVE again.

    A failover cannot be undone, so there is no revert. Safe to run again:
    it issues the failover only when the load balancer still has exactly
    the amphorae of the snapshot, at least one of them stale, and is
    ACTIVE (or ERROR with ``include_error``). PENDING_UPDATE means a
    failover is in flight (ours, before a crash): it waits instead.
    Throttle, breaker and fence: :class:`failover.FencedFailover`.

    Stale here means "not on the target image"; other procedures run the
    same failover through :func:`fail_over` with their own rule.
    """

    def execute(self, campaign_id, lb_id, lb_snapshot, target_image,
                include_error, refresh_before=None):
        """:param refresh_before: ISO 8601 time; an amphora created
            before it is stale even on the target image (``--older-than``).
        :returns: ``{'action': 'failed_over'|'skipped', 'reason'}``.

        :raises CircuitOpen: the campaign had too many failed failovers.
        :raises FailoverFailed: the load balancer went ERROR or timed out.
        """
        return fail_over(
            self.job, self.cloud, campaign_id, lb_id, lb_snapshot,
            include_error,
            stale=lambda a: image_drift.amphora_is_stale(a, target_image,
                                                         refresh_before),
            current=fleet_tasks.current_reason(target_image, refresh_before))


def fail_over(job, cloud, campaign_id, lb_id, lb_snapshot, include_error,
              stale, current):
    """The fenced, throttled failover of the load balancer, if the cloud
    still shows the snapshot's amphorae and one of them is stale.

    :param stale: ``amphora -> bool``, whether it must be replaced.
    :param current: why nothing is to do when none is stale.
    :returns: ``{'action': 'failed_over'|'skipped', 'reason'}``.
    :raises CircuitOpen, FailoverFailed, TrafficNotRestored: as
        :meth:`failover.FencedFailover.run`.
    """
    if lb_snapshot['deleted']:
        return skipped('deleted before the failover')
    # The snapshot, the step before, just read the load balancer that
    # the plan chose for its stale amphorae: the look inside the slot
    # is the one that counts.
    decision, reason = failover.FencedFailover(
        job, cloud, campaign_id, lb_id,
        status_before=lb_snapshot.get('status_tree'),
        topology=lb_snapshot.get('topology')).run(
            lambda: _decide(cloud, lb_id, lb_snapshot, stale, current,
                            include_error),
            lambda: cloud.failover_load_balancer(lb_id), look_first=False)
    if decision == failover.SKIP:
        return skipped(reason)
    if decision == failover.FAILOVER:
        LOG.info('Load balancer %s failed over', lb_id)
    return {'action': constants.ACTION_FAILED_OVER, 'reason': reason}


def _decide(cloud, lb_id, lb_snapshot, stale, current, include_error):
    """The :class:`failover.FencedFailover` decision for a load balancer."""
    lb, verdict = failover.load_balancer_or_verdict(cloud, lb_id)
    if verdict:
        return verdict
    status = lb['provisioning_status']
    amphorae = image_drift.live_amphorae(
        cloud.list_amphorae(loadbalancer_id=lb_id))
    if sorted(a['id'] for a in amphorae) != lb_snapshot['amphora_ids']:
        if status == constants.ERROR:
            raise exceptions.FailoverFailed(
                lb_id=lb_id, reason='amphorae were replaced but the '
                                    'load balancer is in ERROR')
        return failover.DONE, 'amphorae already replaced'
    if not any(stale(a) for a in amphorae):
        return failover.SKIP, current
    if status == constants.ERROR and not include_error:
        return (failover.SKIP,
                'in ERROR (add --include-error to repair it)')
    if status not in (constants.ACTIVE, constants.ERROR):
        return failover.SKIP, 'provisioning status %s' % status
    return failover.FAILOVER, 'stale amphorae'


class VerifyLoadBalancerImage(base.BaseTask):
    """Check that every amphora of the load balancer runs the target image.

    Read-only, so safe to run again. A load balancer deleted meanwhile is
    skipped: there is nothing left to verify.
    """

    def execute(self, lb_id, target_image, failover_outcome,
                refresh_before=None):
        """:param refresh_before: an amphora created before it fails the
            check, as it should have been replaced (the failover's new
            ones are created after it).
        :returns: the target's outcome ``{'lb_id', 'outcome', 'reason'}``.

        :raises VerificationFailed: an amphora still runs another image.
        """
        if failover_outcome['action'] == constants.OUTCOME_SKIPPED:
            return {'lb_id': lb_id, 'outcome': constants.OUTCOME_SKIPPED,
                    'reason': failover_outcome['reason']}
        lb = failover.find_load_balancer(self.cloud, lb_id)
        if lb is None:
            return failover.deleted_outcome(lb_id)
        amphorae = image_drift.live_amphorae(
            self.cloud.list_amphorae(loadbalancer_id=lb_id))
        stale = [a['id'] for a in amphorae
                 if image_drift.amphora_is_stale(a, target_image,
                                                 refresh_before)]
        if lb['provisioning_status'] != constants.ACTIVE or stale:
            raise exceptions.VerificationFailed(
                lb_id=lb_id, reason='status %s, amphorae not on image %s: %s'
                % (lb['provisioning_status'], target_image['id'],
                   ', '.join(stale) or 'none'))
        return {'lb_id': lb_id, 'outcome': constants.OUTCOME_SUCCEEDED,
                'reason': 'all %d amphorae on image %s'
                % (len(amphorae), target_image['id'])}
