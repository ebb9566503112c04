"""evacuate-host: move every amphora off a compute host before maintenance.

Plan: group the amphorae on the host by load balancer, then, if any is
to move, disable the host's nova-compute service with a reason naming the
job (so the scheduler places no replacement there; revert re-enables it
only if this job disabled it). A job with nothing to move leaves the host
as it is; an amphora booted onto the host between the two steps is caught
by the closing check. When Nova lists no amphora on the host although
Octavia has amphorae whose servers Nova does not know, ``job post``
refuses without ``--force`` and the plan lists those amphorae. Per load
balancer: snapshot it (its status tree), fail over its amphorae on the
host one after the other (an ACTIVE_STANDBY pair never loses both at
once; the next only once the load balancer serves as before), throttled,
then verify none is left there. Once every load balancer is
done, check that no amphora at all is left on the host (the skipped ones
included); a job that fails that check reverts, re-enabling the service
it disabled. The service stays disabled when the job succeeds: the
operator evacuates to work on the host and enables it again afterwards.
DESIGN.md section 4.
"""

from taskflow.patterns import linear_flow

from octavia_maint.common import constants
from octavia_maint.flows import host_procedures
from octavia_maint.flows import procedure
from octavia_maint.tasks import amphora_tasks
from octavia_maint.tasks import compute_service_tasks
from octavia_maint.tasks import load_balancer_tasks
from octavia_maint.tasks import preflight_tasks


class EvacuateHost(host_procedures.HostProcedure):
    name = constants.EVACUATE_HOST
    description = ('Disable a compute host\'s nova-compute service and fail '
                   'over every amphora on it, one load balancer at a time '
                   'per pair; the service stays disabled afterwards.')
    parameters = (host_procedures.HostProcedure.host_parameter,
                  procedure.VERIFY_TRAFFIC)
    child_inputs = (constants.HOST, constants.VERIFY_TRAFFIC)
    target_key = constants.LB_ID
    plan_atom = constants.EVACUATE_HOST_SELECT
    result_atom = constants.EVACUATE_HOST_VERIFY
    left_by_failure = (
        'nova-compute on the host stays disabled (no replacement amphora is '
        'placed there) and the amphorae moved off it stay moved.')
    left_by_cancel = (
        'nova-compute on the host is enabled again if this job disabled '
        'it; amphorae already moved off stay where they are.')

    def get_plan_flow(self, params, dry_run=False):
        flow = linear_flow.Flow(constants.EVACUATE_HOST_PLAN_FLOW)
        flow.add(amphora_tasks.SelectAmphoraeOnHost(
            name=constants.EVACUATE_HOST_SELECT, provides=constants.TARGETS))
        if dry_run:
            flow.add(compute_service_tasks.FindComputeService(
                name=constants.EVACUATE_HOST_FIND_SERVICE,
                provides=constants.COMPUTE_SERVICE))
        else:
            flow.add(compute_service_tasks.DisableComputeService(
                name=constants.EVACUATE_HOST_DISABLE,
                provides=constants.COMPUTE_SERVICE))
        return flow

    def get_preflight_flow(self, params):
        flow = super().get_preflight_flow(params)
        flow.add(preflight_tasks.DoubtHostTracking(
            name=constants.PREFLIGHT_HOST_TRACKING,
            inject={constants.HOST: params['host']},
            provides=constants.DOUBT))
        return flow

    def child_params(self, params):
        return procedure.traffic_inputs(params)

    def get_finish_flow(self, params):
        return amphora_tasks.CheckHostEvacuated(
            name=constants.EVACUATE_HOST_CHECK_EMPTY)

    def get_target_flow(self, target_id):
        flow = linear_flow.Flow(constants.EVACUATE_HOST_TARGET_FLOW)
        flow.add(
            load_balancer_tasks.SnapshotLoadBalancer(
                name=constants.EVACUATE_HOST_SNAPSHOT,
                provides=constants.LB_SNAPSHOT),
            amphora_tasks.FailoverAmphoraeOnHost(
                name=constants.EVACUATE_HOST_FAILOVER,
                provides=constants.AMPHORA_FAILOVERS),
            amphora_tasks.VerifyAmphoraeOffHost(
                name=constants.EVACUATE_HOST_VERIFY,
                provides=constants.TARGET_RESULT))
        return flow
