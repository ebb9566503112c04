"""cleanup-node: delete the amphora VMs a failed compute host left behind.

Plan: list every server on the host and keep only the orphans: servers of
Octavia's service project, named like amphorae, that no live amphora uses
(tenant VMs and serving amphorae are listed as kept, with why). Per orphan:
check it again, delete it, wait until Nova no longer knows it. Dry run
unless ``--yes``. DESIGN.md section 4.
"""

from taskflow.patterns import linear_flow

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint import conf
from octavia_maint.flows import host_procedures
from octavia_maint.flows import procedure
from octavia_maint.tasks import server_tasks

CONF = conf.CONF


class CleanupNode(host_procedures.HostProcedure):
    name = constants.CLEANUP_NODE
    description = ('Delete the amphora VMs on a compute host that no '
                   'amphora uses any more (after the host failed and came '
                   'back). Shows the plan only, unless --yes.')
    parameters = (
        host_procedures.HostProcedure.host_parameter,
        procedure.Parameter('yes', 'Delete the orphan amphora VMs; without '
                            'it cleanup-node shows its plan and posts '
                            'nothing.', kind=bool, default=False),
    )
    target_key = constants.SERVER_ID
    plan_atom = constants.CLEANUP_NODE_SELECT
    result_atom = constants.CLEANUP_NODE_VERIFY
    left_by_failure = ('the servers deleted stay deleted; the others are '
                       'left on the host.')
    left_by_cancel = ('nothing: a deleted server cannot be brought back, '
                      'the rest are left on the host.')

    def fails_over(self, params):
        return False

    def check(self, params):
        super().check(params)
        if not CONF.octavia.service_project_id:
            raise exceptions.InvalidInput(
                reason='cleanup-node needs [octavia] service_project_id (the '
                       'project that owns amphora VMs) in the configuration')

    def confirmation_needed(self, params):
        if not params.get('yes'):
            return ('cleanup-node deletes servers only with --yes; this is '
                    'its plan, nothing was posted')
        return None

    def get_plan_flow(self, params, dry_run=False):
        flow = linear_flow.Flow(constants.CLEANUP_NODE_PLAN_FLOW)
        flow.add(server_tasks.SelectOrphanAmphoraServers(
            name=constants.CLEANUP_NODE_SELECT, provides=constants.TARGETS))
        return flow

    def get_target_flow(self, target_id):
        flow = linear_flow.Flow(constants.CLEANUP_NODE_TARGET_FLOW)
        flow.add(
            server_tasks.DeleteOrphanServer(
                name=constants.CLEANUP_NODE_DELETE,
                provides=constants.SERVER_DELETE),
            server_tasks.WaitForServerDeleted(
                name=constants.CLEANUP_NODE_VERIFY,
                provides=constants.TARGET_RESULT))
        return flow
