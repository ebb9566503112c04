"""heartbeat-key: change the health manager's heartbeat key without a
failover storm.

The guide warns that a new key makes the health managers drop every
heartbeat and fail the whole fleet over. Since Octavia 4.0 an amphora's
agent configuration (key included) can be pushed with
``PUT /v2/octavia/amphorae/{id}/config``, so (DESIGN.md section 4):

1. gate: the operator raises ``heartbeat_timeout``, deploys the new key,
   SIGHUPs the workers (they render the new key) and restarts the health
   managers (they read the key only at start);
2. per amphora: configure it (throttled), wait until the health manager
   hears it (``amphora_health``), fail it over if it is not heard;
3. gate: the operator restores ``heartbeat_timeout``.

The key itself never enters the job: the operator deploys it.
"""

from taskflow.patterns import linear_flow

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.flows import procedure
from octavia_maint.tasks import gate_tasks
from octavia_maint.tasks import heartbeat_tasks
from octavia_maint.tasks import preflight_tasks


class HeartbeatKey(procedure.Procedure):
    name = constants.HEARTBEAT_KEY
    description = ("Change [health_manager] heartbeat_key without a failover "
                   "storm: push the new key to every amphora (configure) "
                   "inside a raised heartbeat_timeout, and fail over only "
                   "the amphorae the health manager still does not hear.")
    parameters = (
        procedure.Parameter(
            'heartbeat_timeout', 'The [health_manager] heartbeat_timeout '
            '(seconds) you will set while the key changes; the plan must '
            'fit in half of it.', kind=int, required=True,
            metavar='<seconds>'),
        procedure.Parameter(
            'restore_heartbeat_timeout', 'The heartbeat_timeout to restore '
            'at the end (seconds).', kind=int, default=60,
            metavar='<seconds>'),
        procedure.Parameter(
            'heartbeat_interval', "The amphorae's [health_manager] "
            'heartbeat_interval (seconds): an amphora not heard within '
            '%d intervals of its configure is failed over.'
            % heartbeat_tasks.HEARD_WITHIN_INTERVALS, kind=int, default=10,
            metavar='<seconds>'),
        procedure.VERIFY_TRAFFIC,
    )
    child_inputs = (constants.HEARTBEAT_INTERVAL, constants.VERIFY_TRAFFIC)
    target_key = constants.AMPHORA_ID
    plan_atom = constants.HEARTBEAT_KEY_SELECT
    result_atom = constants.HEARTBEAT_KEY_FAILOVER_UNHEARD
    left_by_failure = (
        'amphorae configured or failed over keep the new key; heartbeat_'
        'timeout stays raised until you restore it (the closing gate, '
        'reached by job resume).')
    left_by_cancel = (
        'nothing in the cloud: configured and failed-over amphorae keep the '
        'new key; restoring heartbeat_timeout (and the old key, if you go '
        'back) is yours to do.')

    def check(self, params):
        for name in ('heartbeat_timeout', 'restore_heartbeat_timeout',
                     'heartbeat_interval'):
            if params[name] <= 0:
                raise exceptions.InvalidInput(
                    reason='%s must be a positive number of seconds'
                    % procedure.known_opt(name))
        if params['heartbeat_timeout'] <= params['restore_heartbeat_timeout']:
            raise exceptions.InvalidInput(
                reason='--heartbeat-timeout (%d) must be above the timeout '
                       'to restore (%d): it is raised for the change'
                % (params['heartbeat_timeout'],
                   params['restore_heartbeat_timeout']))

    def get_preflight_flow(self, params):
        return preflight_tasks.CheckConfigureWindow(
            name=constants.PREFLIGHT_CONFIGURE_WINDOW,
            inject={constants.HEARTBEAT_TIMEOUT: params['heartbeat_timeout'],
                    constants.HEARTBEAT_INTERVAL:
                        params['heartbeat_interval']})

    def campaign_store(self, params):
        return {constants.HEARTBEAT_INTERVAL: params['heartbeat_interval']}

    def fails_over(self, params):
        return False

    def child_params(self, params):
        return procedure.traffic_inputs(params)

    def estimate(self, params, targets, throttle, failover_times):
        # Configuring an amphora is no failover: the window is its own.
        window = heartbeat_tasks.configure_window(params, len(targets),
                                                  throttle)
        notes = ('The configure wave takes about %ds; the health managers '
                 'fail over an amphora not heard for %ds, so the plan may '
                 'use %ds of that window. An amphora not heard within %ds '
                 'of its configure is failed over, throttled.'
                 % (window['needed_seconds'], params['heartbeat_timeout'],
                    window['allowed_seconds'],
                    heartbeat_tasks.HEARD_WITHIN_INTERVALS
                    * params['heartbeat_interval']))
        return {'rounds': window['rounds'],
                'estimated_seconds': window['needed_seconds'],
                'notes': notes}

    def get_plan_flow(self, params, dry_run=False):
        flow = linear_flow.Flow(constants.HEARTBEAT_KEY_PLAN_FLOW)
        if not dry_run:
            flow.add(gate_tasks.WaitForOperator(
                name=constants.HEARTBEAT_KEY_GATE_CHANGE_KEY,
                inject={constants.GATE: 'change-key',
                        constants.INSTRUCTIONS: change_key_instructions(
                            params)}))
        flow.add(heartbeat_tasks.SelectAmphoraeToConfigure(
            name=constants.HEARTBEAT_KEY_SELECT, provides=constants.TARGETS))
        return flow

    def get_target_flow(self, target_id):
        flow = linear_flow.Flow(constants.HEARTBEAT_KEY_TARGET_FLOW)
        flow.add(
            heartbeat_tasks.SnapshotAmphoraHeartbeat(
                name=constants.HEARTBEAT_KEY_SNAPSHOT,
                provides=constants.AMPHORA_SNAPSHOT),
            heartbeat_tasks.ConfigureAmphora(
                name=constants.HEARTBEAT_KEY_CONFIGURE,
                provides=constants.CONFIGURE_OUTCOME),
            heartbeat_tasks.WaitForAmphoraHeartbeat(
                name=constants.HEARTBEAT_KEY_WAIT_HEARD,
                provides=constants.HEARTBEAT_HEARD),
            heartbeat_tasks.FailoverUnheardAmphora(
                name=constants.HEARTBEAT_KEY_FAILOVER_UNHEARD,
                provides=constants.TARGET_RESULT))
        return flow

    def get_finish_flow(self, params):
        return gate_tasks.WaitForOperator(
            name=constants.HEARTBEAT_KEY_GATE_RESTORE,
            inject={constants.GATE: 'restore-timeout',
                    constants.INSTRUCTIONS: (
                        'Set [health_manager] heartbeat_timeout back to %d on '
                        'every controller and restart the '
                        'octavia-health-manager services, then run job '
                        'continue.' % params['restore_heartbeat_timeout'])})


def change_key_instructions(params):
    return ('On every controller set [health_manager] heartbeat_timeout = %d '
            'and the new heartbeat_key, send SIGHUP to every octavia-worker '
            '(configure then renders the new key) and restart every '
            'octavia-health-manager; then run job continue at once: the '
            'amphorae must be configured within that timeout.'
            % params['heartbeat_timeout'])
