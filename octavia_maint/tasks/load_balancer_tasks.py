"""Tasks on one load balancer: snapshot, fail over, verify the image.

These run inside a campaign's child job, one load balancer each, on any
conductor. A conductor may die at any instruction, so each ``execute``
looks at the cloud before it acts: the amphora ids seen before the
failover are the fence that tells "our failover already happened" from
"nothing was done yet", and Octavia's PENDING_UPDATE tells "in flight".
"""

import collections
import time

from oslo_log import log as logging

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.common import image_drift
from octavia_maint import conf
from octavia_maint.tasks import base

LOG = logging.getLogger(__name__)
CONF = conf.CONF

SKIP = 'skip'
DONE = 'done'
WAIT = 'wait'
FAILOVER = 'failover'


def skipped(reason):
    return {'action': constants.OUTCOME_SKIPPED, 'reason': reason}


class SnapshotLoadBalancer(base.BaseTask):
    """Record the load balancer's status and amphora ids before acting.

    Read-only, so safe to run again; once saved, the snapshot is what a
    resumed failover compares the cloud against.
    """

    def execute(self, lb_id):
        """:returns: ``{'deleted', 'provisioning_status', 'amphora_ids'}``."""
        try:
            lb = self.cloud.get_load_balancer(lb_id)
        except exceptions.NotFound:
            return {'deleted': True, 'provisioning_status': None,
                    'amphora_ids': []}
        amphorae = image_drift.live_amphorae(
            self.cloud.list_amphorae(loadbalancer_id=lb_id))
        return {'deleted': False,
                'provisioning_status': lb['provisioning_status'],
                'amphora_ids': sorted(a['id'] for a in amphorae)}


class FailoverLoadBalancer(base.BaseTask):
    """Fail the load balancer over and wait until it is ACTIVE again.

    A failover cannot be undone, so there is no revert. Safe to run again:
    it issues the failover only when the load balancer still has exactly
    the amphorae of the snapshot, at least one of them stale, and is
    ACTIVE (or ERROR with ``include_error``). PENDING_UPDATE means a
    failover is in flight (ours, before a crash): it waits instead. A
    throttle slot is held for the whole failover; the campaign's circuit
    breaker is checked before and fed after.

    Stale here means "not on the target image"; other procedures reuse
    the loop through :meth:`fail_over` with their own rule.
    """

    def execute(self, campaign_id, lb_id, lb_snapshot, target_image,
                include_error):
        """:returns: ``{'action': 'failed_over'|'skipped', 'reason'}``.

        :raises CircuitOpen: the campaign had too many failed failovers.
        :raises FailoverFailed: the load balancer went ERROR or timed out.
        """
        return self.fail_over(
            campaign_id, lb_id, lb_snapshot, include_error,
            stale=lambda a: image_drift.amphora_is_stale(a, target_image),
            current='already on image %s' % target_image['id'])

    def fail_over(self, campaign_id, lb_id, lb_snapshot, include_error,
                  stale, current):
        """The throttled, fenced failover loop.

        :param stale: ``amphora -> bool``, whether it must be replaced.
        :param current: why nothing is to do when none is stale.
        """
        if lb_snapshot['deleted']:
            return skipped('deleted before the failover')
        rule = (stale, current, include_error)
        decision, reason = self._decide(lb_id, lb_snapshot, rule)
        if decision in (SKIP, DONE):
            return self._finish(decision, reason)
        breaker = self.job.breaker(campaign_id, CONF.throttle.max_failures)
        with self.job.throttle.slot():
            while True:
                decision, reason = self._decide(lb_id, lb_snapshot, rule)
                if decision in (SKIP, DONE):
                    return self._finish(decision, reason)
                if decision == FAILOVER and not self._failover(
                        campaign_id, lb_id, breaker):
                    continue
                self._wait(lb_id, breaker)
                if decision == FAILOVER:
                    LOG.info('Load balancer %s failed over', lb_id)
                    return {'action': 'failed_over', 'reason': reason}

    def _decide(self, lb_id, lb_snapshot, rule):
        stale, current, include_error = rule
        try:
            lb = self.cloud.get_load_balancer(lb_id)
        except exceptions.NotFound:
            return SKIP, 'deleted meanwhile'
        status = lb['provisioning_status']
        if status.startswith('PENDING_'):
            return WAIT, 'load balancer is %s' % status
        amphorae = image_drift.live_amphorae(
            self.cloud.list_amphorae(loadbalancer_id=lb_id))
        if sorted(a['id'] for a in amphorae) != lb_snapshot['amphora_ids']:
            if status == constants.ERROR:
                raise exceptions.FailoverFailed(
                    lb_id=lb_id, reason='amphorae were replaced but the '
                                        'load balancer is in ERROR')
            return DONE, 'amphorae already replaced'
        if not any(stale(a) for a in amphorae):
            return SKIP, current
        if status == constants.ERROR and not include_error:
            return SKIP, 'in ERROR (add --include-error to repair it)'
        if status not in (constants.ACTIVE, constants.ERROR):
            return SKIP, 'provisioning status %s' % status
        return FAILOVER, 'stale amphorae'

    def _failover(self, campaign_id, lb_id, breaker):
        """Issue the failover; False when Octavia said the LB is busy."""
        if breaker.is_open():
            raise exceptions.CircuitOpen(
                lb_id=lb_id, campaign_id=campaign_id,
                failures=breaker.failures, limit=breaker.limit)
        # The last fence before the one action that cannot be undone: a
        # conductor that froze past its session must not act any more.
        self.job.check_active()
        try:
            self.cloud.failover_load_balancer(lb_id)
        except exceptions.Conflict:
            LOG.info('Load balancer %s became busy; re-checking', lb_id)
            self.cloud.wait_for_load_balancer(
                lb_id, timeout=CONF.throttle.failover_timeout)
            return False
        LOG.info('Failover of load balancer %s issued', lb_id)
        return True

    def _wait(self, lb_id, breaker):
        # Polling a failover that surely is not done yet only costs the
        # cloud and this conductor: sleep through most of a typical one.
        started = time.monotonic()
        time.sleep(_TYPICAL_FAILOVER.quiet_period())
        try:
            self.cloud.wait_for_load_balancer(
                lb_id, status=constants.ACTIVE,
                timeout=CONF.throttle.failover_timeout)
        except (exceptions.ResourceInError, exceptions.CloudTimeout) as e:
            breaker.record_failure()
            raise exceptions.FailoverFailed(lb_id=lb_id, reason=str(e))
        _TYPICAL_FAILOVER.record(time.monotonic() - started)

    @staticmethod
    def _finish(decision, reason):
        if decision == DONE:
            return {'action': 'failed_over', 'reason': reason}
        return skipped(reason)


class _TypicalDuration:
    """How long failovers take here, learnt from those this process saw.

    The quiet period is a fraction of the shortest recent failover, so a
    faster one is still seen within one poll interval.
    """

    QUIET_FRACTION = 0.8
    SAMPLES = 20

    def __init__(self):
        self._recent = collections.deque(maxlen=self.SAMPLES)

    def record(self, seconds):
        self._recent.append(seconds)

    def quiet_period(self):
        return self.QUIET_FRACTION * min(self._recent, default=0.0)


_TYPICAL_FAILOVER = _TypicalDuration()


class VerifyLoadBalancerImage(base.BaseTask):
    """Check that every amphora of the load balancer runs the target image.

    Read-only, so safe to run again.
    """

    def execute(self, lb_id, target_image, failover_outcome):
        """:returns: the target's outcome ``{'lb_id', 'outcome', 'reason'}``.

        :raises VerificationFailed: an amphora still runs another image.
        """
        if failover_outcome['action'] == constants.OUTCOME_SKIPPED:
            return {'lb_id': lb_id, 'outcome': constants.OUTCOME_SKIPPED,
                    'reason': failover_outcome['reason']}
        lb = self.cloud.get_load_balancer(lb_id)
        amphorae = image_drift.live_amphorae(
            self.cloud.list_amphorae(loadbalancer_id=lb_id))
        stale = [a['id'] for a in amphorae
                 if image_drift.amphora_is_stale(a, target_image)]
        if lb['provisioning_status'] != constants.ACTIVE or stale:
            raise exceptions.VerificationFailed(
                lb_id=lb_id, reason='status %s, amphorae not on image %s: %s'
                % (lb['provisioning_status'], target_image['id'],
                   ', '.join(stale) or 'none'))
        return {'lb_id': lb_id, 'outcome': constants.OUTCOME_SUCCEEDED,
                'reason': 'all %d amphorae on image %s'
                % (len(amphorae), target_image['id'])}
