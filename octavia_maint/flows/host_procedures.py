"""What the procedures on one compute host share: ``--host`` and its checks.

cleanup-node and evacuate-host act on the servers of one nova-compute
host. A host name Nova does not know would plan nothing and report
success, hiding a typo; the preflight refuses it instead.
"""

from taskflow.patterns import linear_flow

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.flows import procedure
from octavia_maint.tasks import preflight_tasks


class HostProcedure(procedure.Procedure):
    """A procedure on the servers of one compute host."""

    host_parameter = procedure.Parameter(
        'host', 'Compute host (as "openstack compute service list" shows '
                'it).', required=True, metavar='<host>')
    child_inputs = (constants.HOST,)

    def check(self, params):
        if not params['host'].strip():
            raise exceptions.InvalidInput(reason='--host must not be empty')

    def get_preflight_flow(self, params):
        flow = linear_flow.Flow(constants.PREFLIGHT_FLOW)
        flow.add(preflight_tasks.CheckComputeHostKnown(
            name=constants.PREFLIGHT_HOST,
            inject={constants.HOST: params['host']}))
        return flow

    def campaign_store(self, params):
        return {constants.HOST: params['host']}

    def targets_of(self, params):
        # Two jobs of one procedure on one host would race each other.
        return {params['host']}
