"""What the CLI shows: column tuples and exit codes, in one place.

Column names are the keys of the dicts ``jobs/`` returns, so ``-c state``
and ``-f json`` speak the same names as the service.
"""

from octavia_maint.common import constants
from octavia_maint.common import refusal

# -- procedure list ---------------------------------------------------------
PROCEDURE_COLUMNS = ('name', 'description', 'parameters')

# -- job list ---------------------------------------------------------------
JOB_COLUMNS = ('id', 'procedure', 'state', 'posted_by', 'posted_at')
JOB_COLUMNS_LONG = JOB_COLUMNS + ('updated_at', 'conductor', 'attempts',
                                  'parent', 'target', 'waiting_for',
                                  'reason', 'parameters')

# -- job show, watch, cancel, resume ----------------------------------------
JOB_ROWS = ('id', 'procedure', 'state', 'parameters', 'posted_by',
            'posted_at', 'resumed_at', 'updated_at', 'conductor', 'attempts',
            'parent', 'target', 'waiting_for', 'reason', 'protection',
            'next_steps')
JOB_SHOW_ROWS = JOB_ROWS + ('counts', 'eta_seconds', 'targets')
TARGET_COLUMNS = ('target', 'name', 'project_id', 'outcome', 'reason')

# -- job post ---------------------------------------------------------------
JOB_POSTED_ROWS = ('id',)
PLAN_ROWS = ('to_run', 'rounds', 'estimated_seconds', 'notes', 'targets')
PLAN_TARGET_COLUMNS = ('id', 'name', 'project_id', 'provisioning_status',
                       'action', 'reason')
REHEARSAL_ROWS = ('procedure', 'parameters', 'state', 'to_run', 'skips',
                  'waves', 'gates', 'expected_seconds', 'peak_concurrency',
                  'rehearsal_peak', 'failovers', 'failed_failovers',
                  'warnings', 'counts', 'failover_seconds',
                  'failover_source', 'time_scale', 'rehearsal_seconds',
                  'snapshot', 'targets')
WAVE_COLUMNS = ('wave', 'targets', 'seconds', 'ends_at_gate')

# -- fleet report -----------------------------------------------------------
REPORT_ROWS = ('generated_at', 'load_balancers', 'load_balancers_by_status',
               'stuck_after_seconds', 'stuck_load_balancers', 'amphorae',
               'amphorae_in_error', 'amphorae_failover_stopped',
               'load_balancers_without_amphorae', 'image_tag', 'target_image',
               'stale_amphorae', 'stale_load_balancers', 'cert_days',
               'expiring_certificates', 'failover_window_seconds',
               'failovers')
STUCK_COLUMNS = ('id', 'name', 'project_id', 'provisioning_status', 'since',
                 'seconds')
AMPHORA_COLUMNS = ('id', 'loadbalancer_id', 'compute_id', 'status')
LOAD_BALANCER_COLUMNS = ('id', 'name', 'project_id', 'provisioning_status')
CERT_COLUMNS = ('id', 'loadbalancer_id', 'cert_expiration', 'days_left')

# -- fleet snapshot ---------------------------------------------------------
SNAPSHOT_ROWS = ('output', 'taken_at', 'anonymized', 'load_balancers',
                 'amphorae', 'amphora_servers', 'hosts', 'tagged_images',
                 'projects')

# -- job states -------------------------------------------------------------
# A job in one of these states changes no more until an operator acts.
ENDED_STATES = (constants.JOB_SUCCEEDED, constants.JOB_FAILED,
                constants.JOB_CANCELLED, constants.JOB_INTERRUPTED)
# A command that followed a job ending in one of these exits EXIT_FAILED.
UNSUCCESSFUL_STATES = (constants.JOB_FAILED, constants.JOB_CANCELLED,
                       constants.JOB_INTERRUPTED)

# -- exit codes -------------------------------------------------------------
EXIT_OK = refusal.EXIT_OK
EXIT_FAILED = refusal.EXIT_FAILED
EXIT_BAD_INPUT = refusal.EXIT_BAD_INPUT
EXIT_INTERRUPTED = refusal.EXIT_INTERRUPTED
