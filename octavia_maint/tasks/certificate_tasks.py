"""Tasks of rotate-certs: choose, expire, renew and verify certificates.

Two ways renew an amphora's certificate (DESIGN.md section 4). By
*housekeeping*: the plan moves ``cert_expiration`` into the past in
Octavia's database, Octavia's housekeeping issues new certificates, and
each child watches its load balancer's amphorae through the API. By
*failover*: each child fails its load balancer over, and the new
amphorae boot with new certificates (from a new CA, once deployed).

The child flow cannot depend on the job's parameters (a child is rebuilt
from its procedure and target only), so the renewing and verifying tasks
take the way as a store value, :data:`constants.CERT_ROTATION`.
"""

from oslo_log import log as logging
from oslo_utils import timeutils

from octavia_maint.common import constants
from octavia_maint.common import estimates
from octavia_maint.common import exceptions
from octavia_maint.common import image_drift
from octavia_maint.common import waiting
from octavia_maint import conf
from octavia_maint.tasks import base
from octavia_maint.tasks import failover
from octavia_maint.tasks import fleet_tasks
from octavia_maint.tasks import load_balancer_tasks

LOG = logging.getLogger(__name__)
CONF = conf.CONF

# Amphorae housekeeping rotates (Octavia skips DELETED and PENDING_DELETE;
# others have no agent to talk to).
ROTATABLE_STATUSES = ('ALLOCATED', 'READY')
# Load balancers a failover may be asked of (PENDING: one is in flight).
FAILOVER_STATUSES = (constants.ACTIVE, constants.ERROR,
                     constants.PENDING_UPDATE)


def _time(text):
    return timeutils.normalize_time(timeutils.parse_isotime(text))


def not_renewed(amphorae, originals):
    """Ids of ``originals`` still without a new certificate.

    An amphora that is gone was replaced (its successor has a new
    certificate); one still there must be out of rotation and expire
    later than its original date.
    """
    by_id = {a['id']: a for a in image_drift.live_amphorae(amphorae)}
    left = []
    for amphora_id, original in sorted(originals.items()):
        amphora = by_id.get(amphora_id)
        if amphora is None:
            continue
        if (amphora.get('cert_busy') or not amphora.get('cert_expiration')
                or _time(amphora['cert_expiration']) <= _time(original)):
            left.append(amphora_id)
    return left


class SelectLoadBalancersForCertificates(fleet_tasks.FleetScanTask):
    """List the load balancers in scope whose amphorae get new certificates.

    Read-only, so safe to run again. By housekeeping, each planned target
    carries the original ``cert_expiration`` of its amphorae, read from
    Octavia's database, as its child's input (saved with the plan: what
    a revert restores).
    """

    def execute(self, project_id, load_balancer_ids, include_error,
                cert_rotation):
        """:returns: target rows ``{'id', 'name', 'project_id', 'action',
            'reason'[, 'inputs']}``, targets to run first.
        """
        lbs, amphorae = self._scan(project_id, load_balancer_ids)
        originals = {}
        if cert_rotation == constants.CERTS_BY_HOUSEKEEPING:
            originals = self.cloud.octavia_db.cert_expirations(
                a['id'] for amps in amphorae.values() for a in amps
                if a.get('status') in ROTATABLE_STATUSES)
        plan = [self._plan_one(lb, amphorae.get(lb['id'], []), originals,
                               cert_rotation, include_error) for lb in lbs]
        plan.sort(key=lambda t: (t['action'] != constants.PLAN_RUN,
                                 t['project_id'] or '', t['id']))
        LOG.info('Planned certificate renewal (%s) of %d of %d load '
                 'balancers', cert_rotation,
                 sum(t['action'] == constants.PLAN_RUN for t in plan),
                 len(plan))
        return plan

    @staticmethod
    def _plan_one(lb, amphorae, originals, cert_rotation, include_error):
        def target(action, reason, inputs=None):
            row = {'id': lb['id'], 'name': lb.get('name'),
                   'project_id': lb.get('project_id'),
                   # What its failover's estimate goes by.
                   'topology': (estimates.topology_of(amphorae)
                                if amphorae else None),
                   'action': action,
                   'reason': fleet_tasks.with_failover_stopped(reason,
                                                               amphorae)}
            if inputs:
                row['inputs'] = inputs
            return row

        if lb.get('provider') not in constants.AMPHORA_PROVIDERS:
            return target(constants.PLAN_SKIP, 'provider %s has no amphorae'
                          % lb.get('provider'))
        if not amphorae:
            return target(constants.PLAN_SKIP, fleet_tasks.NO_AMPHORAE)
        if cert_rotation == constants.CERTS_BY_HOUSEKEEPING:
            mine = {a['id']: originals[a['id']] for a in amphorae
                    if originals.get(a['id'])}
            if not mine:
                return target(constants.PLAN_SKIP,
                              'no amphora with a certificate to renew')
            return target(constants.PLAN_RUN, '%d of %d amphora certificates '
                          'expired for housekeeping to renew'
                          % (len(mine), len(amphorae)),
                          {constants.CERT_ORIGINALS: mine})
        status = lb['provisioning_status']
        if status == constants.ERROR and not include_error:
            return target(constants.PLAN_SKIP,
                          'in ERROR (add --include-error to repair it)')
        if status not in FAILOVER_STATUSES:
            return target(constants.PLAN_SKIP,
                          'provisioning status %s' % status)
        return target(constants.PLAN_RUN, 'fail over %d amphorae'
                      % len(amphorae))


class ExpireAmphoraCertificates(base.BaseTask):
    """Set ``cert_expiration`` in the past for every planned amphora, in
    one transaction of Octavia's database.

    Safe to run again: only rows still at their original date (and not
    being rotated) change, so a re-run after a crash changes nothing more
    and never expires a certificate Octavia already renewed. Revert puts
    the original date back on the rows still expired by us and not being
    rotated: the ones housekeeping has not renewed yet.
    """

    def execute(self, targets):
        """:returns: ``{'amphorae', 'expired'}`` counts."""
        originals = self._originals(targets)
        expired = self.cloud.octavia_db.expire_certificates(originals)
        LOG.info('Expired the certificates of %d of %d amphorae for '
                 'housekeeping to renew', expired, len(originals))
        return {'amphorae': len(originals), 'expired': expired}

    def revert(self, targets, *args, **kwargs):
        # Even after a failure: the commit may have happened before it.
        originals = self._originals(targets)
        LOG.warning('Reverting certificate expiry: restoring the original '
                    'dates of the amphorae not renewed yet')
        try:
            restored = self.cloud.octavia_db.restore_certificates(originals)
        except Exception:
            LOG.exception('Failed to restore the certificate dates of %d '
                          'amphorae', len(originals))
            return
        LOG.warning('Restored the original certificate date of %d of %d '
                    'amphorae', restored, len(originals))

    @staticmethod
    def _originals(targets):
        originals = {}
        for target in targets:
            if target['action'] == constants.PLAN_RUN:
                originals.update(target.get('inputs', {}).get(
                    constants.CERT_ORIGINALS, {}))
        return originals


class RenewLoadBalancerCertificates(base.BaseTask):
    """Get new certificates onto the load balancer's amphorae.

    By housekeeping: wait, read-only, until Octavia renewed each expired
    certificate (safe to run again; nothing to revert). By failover: the
    throttled, fenced failover of rotate-image, where every amphora of the
    snapshot must be replaced (safe to run again: an already replaced set
    of amphorae is not failed over twice; a failover cannot be undone).
    """

    def execute(self, campaign_id, lb_id, lb_snapshot, include_error,
                cert_rotation, cert_originals=None):
        """:returns: ``{'action', 'reason'}``.

        :raises CertificateRotationTimeout: housekeeping did not renew in
            ``[octavia] cert_rotation_timeout``.
        :raises CircuitOpen, FailoverFailed: as a failover does.
        """
        if cert_rotation == constants.CERTS_BY_HOUSEKEEPING:
            return self._wait_for_housekeeping(lb_id, cert_originals)
        return load_balancer_tasks.fail_over(
            self.job, self.cloud, campaign_id, lb_id, lb_snapshot,
            include_error, stale=lambda amphora: True,
            current='no amphorae to replace')

    def _wait_for_housekeeping(self, lb_id, originals):
        timeout = CONF.octavia.cert_rotation_timeout
        with self.job.waiting(
                "Octavia's housekeeping to renew %d certificates (it runs "
                "every %d s, [octavia] cert_interval)"
                % (len(originals), CONF.octavia.cert_interval), timeout):
            waiting.wait_until(
                lambda: not_renewed(
                    self.cloud.list_amphorae(loadbalancer_id=lb_id),
                    originals),
                until=lambda left: not left,
                interval=CONF.cloud.status_poll_interval, timeout=timeout,
                timeout_error=lambda left: (
                    exceptions.CertificateRotationTimeout(
                        lb_id=lb_id, ids=', '.join(left), timeout=timeout)),
                check=self.job.check_active)
        return {'action': constants.ACTION_RENEWED,
                'reason': 'housekeeping renewed %d certificates'
                % len(originals)}


class VerifyCertificatesRenewed(base.BaseTask):
    """Check that every amphora of the load balancer has a new certificate.

    Read-only, so safe to run again.
    """

    def execute(self, lb_id, lb_snapshot, renew_outcome, cert_rotation,
                cert_originals=None):
        """:returns: the target's outcome ``{'lb_id', 'outcome', 'reason'}``.

        :raises VerificationFailed: an amphora kept its old certificate.
        """
        if renew_outcome['action'] == constants.OUTCOME_SKIPPED:
            return {'lb_id': lb_id, 'outcome': constants.OUTCOME_SKIPPED,
                    'reason': renew_outcome['reason']}
        amphorae = self.cloud.list_amphorae(loadbalancer_id=lb_id)
        if cert_rotation == constants.CERTS_BY_HOUSEKEEPING:
            left = not_renewed(amphorae, cert_originals)
            problem = 'certificates not renewed: %s' % ', '.join(left)
        else:
            lb = failover.find_load_balancer(self.cloud, lb_id)
            if lb is None:
                return failover.deleted_outcome(lb_id)
            old = set(lb_snapshot['amphora_ids'])
            left = sorted(a['id'] for a in image_drift.live_amphorae(amphorae)
                          if a['id'] in old)
            problem = 'status %s, amphorae not replaced: %s' % (
                lb['provisioning_status'], ', '.join(left) or 'none')
            if lb['provisioning_status'] != constants.ACTIVE:
                left = left or [lb_id]
        if left:
            raise exceptions.VerificationFailed(lb_id=lb_id, reason=problem)
        return {'lb_id': lb_id, 'outcome': constants.OUTCOME_SUCCEEDED,
                'reason': renew_outcome['reason']}


class CheckScopeCertificates(fleet_tasks.FleetScanTask):
    """Before success: no amphora in scope still has an old certificate.

    Looks at the scope once more. By housekeeping, every certificate the
    plan expired must be renewed. By failover (and in the CA modes), an
    amphora created before the campaign began failing over (its
    ``children_started_at``, after the deploy gate) still carries the old
    certificate or CA: a load balancer created while the job waited at
    the gate is caught here, since the plan never saw it. Load balancers
    skipped for a stated reason, by the plan or by their child, are
    excused. Read-only, so safe to run again.
    """

    def execute(self, project_id, load_balancer_ids, cert_rotation, targets,
                child_results, children_started_at):
        """:raises ScopeNotConverged: listing the load balancers."""
        lbs, amphorae = self._scan(project_id, load_balancer_ids, now=True)
        skipped = fleet_tasks.excused(child_results) | {
            t['id'] for t in targets if t['action'] == constants.PLAN_SKIP}
        if cert_rotation == constants.CERTS_BY_HOUSEKEEPING:
            originals = {}
            for target in targets:
                originals.update(target.get('inputs', {}).get(
                    constants.CERT_ORIGINALS, {}))

            def needs_work(amps):
                mine = {a['id']: originals[a['id']] for a in amps
                        if a['id'] in originals}
                return bool(not_renewed(amps, mine))
        else:
            # A whole second (campaign_tasks.MarkChildrenStarted), as
            # Octavia's created_at: no amphora shares its second.
            started = _time(children_started_at)

            def needs_work(amps):
                return any(a.get('created_at') and
                           _time(a['created_at']) < started for a in amps)
        fleet_tasks.raise_unless_converged([
            lb['id'] for lb in lbs if lb['id'] not in skipped and
            lb.get('provider') in constants.AMPHORA_PROVIDERS and
            needs_work(amphorae.get(lb['id'], []))])
        LOG.info('Every amphora in scope has a new certificate (or was '
                 'skipped for a stated reason)')
