"""Tasks that move amphorae off a compute host (evacuate-host).

Octavia's amphora API does not say where an amphora runs; Nova does, for
the amphora's ``compute_id``. An amphora is *on the host* when its server
is. The plan groups the amphorae on the host by load balancer, and one
child per load balancer fails its amphorae on the host over one after the
other, so an ACTIVE_STANDBY pair never loses both amphorae at once.
"""

from oslo_log import log as logging

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.common import image_drift
from octavia_maint import conf
from octavia_maint.tasks import base
from octavia_maint.tasks import failover

LOG = logging.getLogger(__name__)
CONF = conf.CONF

# Fail over the standby first: the master keeps serving meanwhile.
ROLE_ORDER = {'BACKUP': 0, 'STANDALONE': 1, 'MASTER': 2}


def standby_first(amphorae):
    """``amphorae`` in the order to fail them over: standby first, so the
    master keeps serving; by id within a role, so the order is stable."""
    return sorted(amphorae, key=lambda a: (ROLE_ORDER.get(a.get('role'), 1),
                                           a['id']))


# FAILOVER_STOPPED: the health manager reached its failover threshold
# (many amphorae failed at once, as in an outage) and left these for the
# operator to fail over; a repair treats them as in ERROR.
BROKEN_AMPHORA_STATUSES = (constants.ERROR, constants.FAILOVER_STOPPED)


def in_error(amphorae):
    """The amphorae in ERROR or FAILOVER_STOPPED, standby first: those a
    repair replaces, in the order it replaces them."""
    return [a for a in standby_first(amphorae)
            if a.get('status') in BROKEN_AMPHORA_STATUSES]


def amphorae_on_host(amphorae, server_ids):
    """The amphorae whose server is one of ``server_ids``, standby first."""
    return standby_first([a for a in image_drift.live_amphorae(amphorae)
                          if a.get('compute_id') in server_ids])


def server_host(cloud, server_id):
    """The compute host of a server; None when it has none or is gone."""
    if not server_id:
        return None
    try:
        return cloud.get_server(server_id)['compute_host']
    except exceptions.NotFound:
        return None


def lb_amphorae_on_host(cloud, lb_id, host):
    """The load balancer's amphorae on ``host`` (one Nova call each)."""
    amphorae = cloud.list_amphorae(loadbalancer_id=lb_id)
    return amphorae_on_host(amphorae, {
        a['compute_id'] for a in amphorae
        if server_host(cloud, a.get('compute_id')) == host})


def unknown_to_nova(cloud, amphorae):
    """The live amphorae whose server Nova does not list at all.

    Only Octavia's service project is listed when ``[octavia]
    service_project_id`` is set (one listing, however large the fleet).
    """
    known = {s['id'] for s in cloud.list_servers(
        project_id=CONF.octavia.service_project_id or None)}
    return [a for a in image_drift.live_amphorae(amphorae)
            if a.get('compute_id') and a['compute_id'] not in known]


def lost_track(cloud, host):
    """Why an empty answer of Nova for ``host`` may be wrong, or None.

    Nova lists servers by host from its own records: when it lists no
    amphora on the host while Octavia has amphorae whose servers Nova
    does not know at all, some of those may well run there, and an
    evacuation that finds nothing to move would report success.
    """
    server_ids = {s['id'] for s in cloud.list_servers_on_host(host)}
    amphorae = cloud.list_amphorae()
    if amphorae_on_host(amphorae, server_ids):
        return None
    lost = unknown_to_nova(cloud, amphorae)
    if not lost:
        return None
    return ('Nova lists no amphora on host %s, but %d amphorae run on '
            'servers Nova does not know (%s%s), so this job cannot tell '
            'whether they are on %s; check Nova (openstack server show)'
            % (host, len(lost), ', '.join(a['id'] for a in lost[:3]),
               ', ...' if len(lost) > 3 else '', host))


class SelectAmphoraeOnHost(base.BaseTask):
    """List the amphorae on the host, one target per load balancer.

    Read-only, so safe to run again.
    """

    def execute(self, host):
        """:returns: a list of ``{'id', 'name', 'project_id',
            'provisioning_status', 'action', 'reason'}`` (``id`` is the
            load balancer's), targets to evacuate first.
        """
        server_ids = {s['id'] for s in self.cloud.list_servers_on_host(host)}
        by_lb = {}
        for amphora in amphorae_on_host(self.cloud.list_amphorae(),
                                        server_ids):
            by_lb.setdefault(amphora.get('loadbalancer_id'), []).append(
                amphora)
        spares = by_lb.pop(None, [])
        if not by_lb and not spares:
            return self._plan_nothing_found(host)
        lbs = {lb['id']: lb for lb in self.cloud.list_load_balancers()}
        plan = [self._plan_one(lbs.get(lb_id), lb_id, amphorae, host)
                for lb_id, amphorae in by_lb.items()]
        plan.extend({'id': a['id'], 'name': None, 'project_id': None,
                     'provisioning_status': a['status'],
                     'action': constants.PLAN_SKIP,
                     'reason': 'spare amphora (no load balancer): delete it '
                               'by hand'} for a in spares)
        plan.sort(key=lambda t: (t['action'] != constants.PLAN_RUN,
                                 t['project_id'] or '', t['id']))
        LOG.info('Host %s: %d load balancers with amphorae to move', host,
                 sum(t['action'] == constants.PLAN_RUN for t in plan))
        return plan

    def _plan_nothing_found(self, host):
        """No amphora on the host: list those Nova lost track of, if any,
        each skipped with why (the plan then shows what it cannot see)."""
        lost = unknown_to_nova(self.cloud, self.cloud.list_amphorae())
        LOG.info('Host %s: no amphora to move; %d amphorae have servers '
                 'Nova does not know', host, len(lost))
        return [{'id': a['id'], 'name': None, 'project_id': None,
                 'provisioning_status': a['status'],
                 'action': constants.PLAN_SKIP,
                 'reason': 'Nova does not know its server %s, so it may run '
                           'on %s (load balancer %s)'
                           % (a['compute_id'], host, a.get('loadbalancer_id'))}
                for a in sorted(lost, key=lambda a: a['id'])]

    @staticmethod
    def _plan_one(lb, lb_id, amphorae, host):
        on_host = ', '.join('%s %s' % (a.get('role'), a['id'])
                            for a in amphorae)
        row = {'id': lb_id, 'name': lb and lb.get('name'),
               'project_id': lb and lb.get('project_id'),
               'provisioning_status': lb and lb['provisioning_status'],
               'action': constants.PLAN_RUN,
               'reason': 'on %s: %s' % (host, on_host)}
        if lb is None:
            row.update(action=constants.PLAN_SKIP,
                       reason='load balancer not found (%s)' % on_host)
        elif lb['provisioning_status'] == constants.ERROR:
            row.update(action=constants.PLAN_SKIP,
                       reason='in ERROR, so Octavia refuses an amphora '
                              'failover; repair it first (job post repair '
                              '--load-balancer %s) (%s)' % (lb_id, on_host))
        return row


class FailoverAmphoraeOnHost(base.BaseTask):
    """Fail over, one at a time, each amphora of the load balancer on the
    host, and wait for the load balancer to be ACTIVE after each.

    A failover cannot be undone, so there is no revert. Safe to run again:
    each amphora's id is its own fence (a replaced amphora is gone, its
    replacement has a new id on another host), PENDING_UPDATE is waited
    for, and a 409 (the load balancer busy with something else) is waited
    out and retried for at most ``[throttle] failover_timeout``. Throttle,
    breaker and data-plane check (after each amphora, so the master is
    failed over only once the pair serves again): :class:`failover.
    FencedFailover`.
    """

    def execute(self, campaign_id, lb_id, host, lb_snapshot):
        """:returns: ``{'action': 'failed_over'|'skipped', 'reason',
            'amphora_ids'}``, the amphorae this task replaced (or found
            replaced after a crash).

        :raises CircuitOpen: the campaign had too many failed failovers.
        :raises FailoverFailed: ERROR, a timeout, or an LB busy too long.
        """
        fenced = failover.FencedFailover(
            self.job, self.cloud, campaign_id, lb_id,
            status_before=lb_snapshot.get('status_tree'))
        moved = []
        for amphora_id in [a['id'] for a in lb_amphorae_on_host(
                self.cloud, lb_id, host)]:
            decision, reason = fenced.run(
                lambda a=amphora_id: self._decide(lb_id, a, host),
                lambda a=amphora_id: self.cloud.failover_amphora(a),
                whole=False)
            if decision == failover.SKIP:
                return {'action': constants.OUTCOME_SKIPPED,
                        'reason': reason, 'amphora_ids': moved}
            if decision == failover.FAILOVER:
                LOG.info('Amphora %s of load balancer %s failed over off '
                         '%s', amphora_id, lb_id, host)
            moved.append(amphora_id)
        if not moved:
            return {'action': constants.OUTCOME_SKIPPED,
                    'reason': 'no amphora on %s' % host, 'amphora_ids': []}
        return {'action': constants.ACTION_FAILED_OVER, 'amphora_ids': moved,
                'reason': 'moved %d amphora(e) off %s' % (len(moved), host)}

    def _decide(self, lb_id, amphora_id, host):
        lb, verdict = failover.load_balancer_or_verdict(self.cloud, lb_id)
        if verdict:
            return verdict
        status = lb['provisioning_status']
        amphora = next((a for a in image_drift.live_amphorae(
            self.cloud.list_amphorae(loadbalancer_id=lb_id))
            if a['id'] == amphora_id), None)
        if amphora is None:
            return failover.DONE, 'amphora %s already replaced' % amphora_id
        if server_host(self.cloud, amphora.get('compute_id')) != host:
            return failover.DONE, 'amphora %s no longer on %s' % (
                amphora_id, host)
        if status != constants.ACTIVE:
            raise exceptions.FailoverFailed(
                lb_id=lb_id, reason='it is %s; an amphora failover needs it '
                                    'ACTIVE' % status)
        return failover.FAILOVER, 'amphora %s on %s' % (amphora_id, host)


class CheckHostEvacuated(base.BaseTask):
    """Check that no amphora at all is left on the host.

    Runs once every child finished: it also sees the amphorae of the load
    balancers the plan skipped (ERROR, spares). Read-only, so safe to run
    again.
    """

    def execute(self, host):
        """:raises HostNotEvacuated: amphorae are still on the host."""
        server_ids = {s['id'] for s in self.cloud.list_servers_on_host(host)}
        left = amphorae_on_host(self.cloud.list_amphorae(), server_ids)
        if left:
            raise exceptions.HostNotEvacuated(
                host=host, count=len(left), amphorae=', '.join(
                    '%s (load balancer %s)' % (a['id'],
                                               a.get('loadbalancer_id'))
                    for a in left))
        LOG.info('No amphora is left on %s', host)


class VerifyAmphoraeOffHost(base.BaseTask):
    """Check that the load balancer is ACTIVE with no amphora on the host.

    Read-only, so safe to run again. A load balancer deleted meanwhile is
    skipped: none of its amphorae is left anywhere.
    """

    def execute(self, lb_id, host, amphora_failovers):
        """:returns: the target's outcome ``{'lb_id', 'outcome', 'reason'}``.

        :raises VerificationFailed: an amphora is still on the host.
        """
        if amphora_failovers['action'] == constants.OUTCOME_SKIPPED:
            return {'lb_id': lb_id, 'outcome': constants.OUTCOME_SKIPPED,
                    'reason': amphora_failovers['reason']}
        lb = failover.find_load_balancer(self.cloud, lb_id)
        if lb is None:
            return failover.deleted_outcome(lb_id)
        left = [a['id']
                for a in lb_amphorae_on_host(self.cloud, lb_id, host)]
        if lb['provisioning_status'] != constants.ACTIVE or left:
            raise exceptions.VerificationFailed(
                lb_id=lb_id, reason='status %s, amphorae still on %s: %s'
                % (lb['provisioning_status'], host, ', '.join(left) or
                   'none'))
        return {'lb_id': lb_id, 'outcome': constants.OUTCOME_SUCCEEDED,
                'reason': amphora_failovers['reason']}
