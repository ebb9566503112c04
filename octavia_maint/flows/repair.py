"""repair: fail over what is in ERROR after an outage, throttled.

Plan: the load balancers in scope (all, a project, or listed ones) in
ERROR or with an amphora in ERROR, one target per load balancer. Per load
balancer: snapshot it and its amphorae, fail it over once (a load
balancer failover when it is in ERROR or every amphora is; otherwise an
amphora failover of each amphora in ERROR, standby first), throttled,
then verify it is ACTIVE with no amphora in ERROR. There is nothing to
revert: a failover cannot be undone. The rule and its reasons:
:mod:`octavia_maint.tasks.repair_tasks`.
"""

from taskflow.patterns import linear_flow

from octavia_maint.common import constants
from octavia_maint.flows import procedure
from octavia_maint.tasks import load_balancer_tasks
from octavia_maint.tasks import repair_tasks


class Repair(procedure.Procedure):
    name = constants.REPAIR
    description = ('Fail over every load balancer in ERROR and every '
                   'amphora in ERROR (an amphora failover while its load '
                   'balancer is ACTIVE), once each, throttled.')
    parameters = procedure.LOAD_BALANCER_FILTER + (procedure.VERIFY_TRAFFIC,)
    child_inputs = (constants.VERIFY_TRAFFIC,)
    target_key = constants.LB_ID
    plan_atom = constants.REPAIR_SELECT
    result_atom = constants.REPAIR_VERIFY
    left_by_failure = ('load balancers repaired stay repaired; the others '
                       'stay as they were (in ERROR).')
    left_by_cancel = ('nothing: a failover cannot be undone; failovers '
                      'in flight run to their end.')

    def check(self, params):
        procedure.check_scope(params)

    def get_preflight_flow(self, params):
        return procedure.scope_preflight(dict(params, project_id=None))

    def targets_of(self, params):
        return set(params['load_balancer_ids'])

    def child_params(self, params):
        return procedure.traffic_inputs(params)

    def get_plan_flow(self, params, dry_run=False):
        # Read-only: a dry run plans exactly what the job would.
        flow = linear_flow.Flow(constants.REPAIR_PLAN_FLOW)
        flow.add(repair_tasks.SelectLoadBalancersToRepair(
            name=constants.REPAIR_SELECT, provides=constants.TARGETS,
            inject={constants.PROJECT_ID: params['project_id'],
                    constants.LOAD_BALANCER_IDS: params['load_balancer_ids']}))
        return flow

    def get_target_flow(self, target_id):
        flow = linear_flow.Flow(constants.REPAIR_TARGET_FLOW)
        flow.add(
            load_balancer_tasks.SnapshotLoadBalancer(
                name=constants.REPAIR_SNAPSHOT,
                provides=constants.LB_SNAPSHOT),
            repair_tasks.RepairLoadBalancer(
                name=constants.REPAIR_FAILOVER,
                provides=constants.REPAIR_OUTCOME),
            repair_tasks.VerifyLoadBalancerRepaired(
                name=constants.REPAIR_VERIFY,
                provides=constants.TARGET_RESULT))
        return flow
