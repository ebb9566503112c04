"""Tasks on Nova servers: find the amphora VMs no amphora owns, delete them.

After a failed compute host comes back, Nova may still run amphora VMs
that Octavia replaced while the host was down: no live amphora points at
them any more. Deleting the wrong server would take a tenant's VM or a
serving amphora down, so the rule that tells an orphan is kept in one
place (:func:`why_kept`) and applied twice: when planning, and again right
before each delete, against the cloud as it is then.
"""

from oslo_log import log as logging

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.common import image_drift
from octavia_maint import conf
from octavia_maint.tasks import base

LOG = logging.getLogger(__name__)
CONF = conf.CONF

# Nova's task state while a delete is in progress.
NOVA_DELETING = 'deleting'


def why_kept(server, host, live_amphorae):
    """Why ``server`` must not be deleted, or None when it is an orphan.

    :param live_amphorae: the amphorae Octavia lists (not DELETED).
    An amphora being built may not have its ``compute_id`` yet, but its
    server is already named after it: a server named after a live
    amphora is kept too.
    """
    if server['compute_host'] != host:
        return 'now on host %s' % server['compute_host']
    if server['project_id'] != CONF.octavia.service_project_id:
        return ('not an amphora: project %s is not Octavia\'s service '
                'project' % server['project_id'])
    prefix = CONF.octavia.amp_server_name_prefix
    if not (server['name'] or '').startswith(prefix):
        return 'not an amphora: its name does not start with %r' % prefix
    if server['status'] == 'BUILD':
        return 'still building'
    named_after = server['name'][len(prefix):]
    for amphora in live_amphorae:
        if server['id'] == amphora.get('compute_id') or (
                named_after == amphora['id']):
            return 'amphora %s of load balancer %s' % (
                amphora['id'], amphora.get('loadbalancer_id'))
    return None


class SelectOrphanAmphoraServers(base.BaseTask):
    """List the servers on the host and mark the orphan amphora VMs.

    Read-only, so safe to run again. Every server on the host is listed,
    tenant VMs too, each with why it is kept, so the plan shows what the
    job will never touch.
    """

    def execute(self, host):
        """:returns: a list of ``{'id', 'name', 'project_id', 'action',
            'reason'}``, orphans first.
        """
        servers = self.cloud.list_servers_on_host(host)
        live = image_drift.live_amphorae(self.cloud.list_amphorae())
        plan = []
        for server in servers:
            reason = why_kept(server, host, live)
            plan.append({
                'id': server['id'], 'name': server['name'],
                'project_id': server['project_id'],
                'action': constants.PLAN_SKIP if reason else
                constants.PLAN_RUN,
                'reason': reason or 'no amphora uses it (orphan)'})
        plan.sort(key=lambda t: (t['action'] != constants.PLAN_RUN,
                                 t['name'] or '', t['id']))
        LOG.info('Host %s: %d servers, %d orphan amphora VMs', host,
                 len(plan), sum(t['action'] == constants.PLAN_RUN
                                for t in plan))
        return plan


class DeleteOrphanServer(base.BaseTask):
    """Delete one orphan amphora VM, after checking it again.

    A delete cannot be undone, so there is no revert. Safe to run again:
    a server that is gone, or that Nova is already deleting (our delete,
    before a crash), is not deleted again; one that stopped being an
    orphan meanwhile is skipped.
    """

    def execute(self, server_id, host):
        """:returns: ``{'action': 'deleted'|'deleting'|'skipped',
            'reason'}``.
        """
        try:
            server = self.cloud.get_server(server_id)
        except exceptions.NotFound:
            return {'action': constants.ACTION_DELETED,
                    'reason': 'already gone'}
        if server['task_state'] == NOVA_DELETING:
            return {'action': constants.ACTION_DELETING,
                    'reason': 'already being deleted'}
        listing = self.cloud.list_amphorae(compute_id=server_id)
        prefix = CONF.octavia.amp_server_name_prefix
        if (server['name'] or '').startswith(prefix):
            listing += self.cloud.list_amphorae(
                id=server['name'][len(prefix):])
        live = image_drift.live_amphorae(listing)
        reason = why_kept(server, host, live)
        if reason:
            LOG.warning('Not deleting server %s: %s', server_id, reason)
            return {'action': constants.OUTCOME_SKIPPED, 'reason': reason}
        self.job.check_active()
        try:
            self.cloud.delete_server(server_id)
        except exceptions.NotFound:
            return {'action': constants.ACTION_DELETED,
                    'reason': 'already gone'}
        LOG.info('Deleting orphan amphora VM %s (%s) on %s', server_id,
                 server['name'], host)
        return {'action': constants.ACTION_DELETING,
                'reason': 'orphan amphora VM'}


class WaitForServerDeleted(base.BaseTask):
    """Wait until Nova no longer knows the server; the target's outcome.

    Read-only, so safe to run again.
    """

    def execute(self, server_id, server_delete):
        """:returns: ``{'server_id', 'outcome', 'reason'}``.

        :raises CloudTimeout: the server is still there after
            ``[cloud] wait_timeout``.
        """
        if server_delete['action'] == constants.OUTCOME_SKIPPED:
            return {'server_id': server_id,
                    'outcome': constants.OUTCOME_SKIPPED,
                    'reason': server_delete['reason']}
        self.cloud.wait_for_server_deleted(server_id)
        return {'server_id': server_id,
                'outcome': constants.OUTCOME_SUCCEEDED,
                'reason': 'deleted (%s)' % server_delete['reason']}
