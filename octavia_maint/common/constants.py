"""Names shared by more than one module: store keys, atom names, states.

Store keys are the ``execute`` parameter names they feed (``LB_ID =
'lb_id'``), so a task's signature is its contract. Atom names are matched
to saved state on resume: renaming one changes how in-flight jobs resume,
so treat them as a stable interface. A unit test checks every value here
is unique.
"""

# -- Task/Flow store keys (alphabetical) ------------------------------------
AMPHORA_ID = 'amphora_id'
AMPHORA_SNAPSHOT = 'amphora_snapshot'
CANARY_COUNT = 'canary_count'
CANARY_RESULTS = 'canary_results'
CANARY_SOAK = 'canary_soak'
CANARY_SUMMARY = 'canary_summary'
CANARY_TARGETS = 'canary_targets'
CANARY_TREES = 'canary_trees'
CAMPAIGN_ID = 'campaign_id'
CERT_ORIGINALS = 'cert_originals'
CERT_ROTATION = 'cert_rotation'
CHILD_RESULTS = 'child_results'
CHILDREN_STARTED_AT = 'children_started_at'
CONFIGURE_OUTCOME = 'configure_outcome'
DISK_FORMAT = 'disk_format'
DOUBT = 'doubt'
FAILOVER_OUTCOME = 'failover_outcome'
GATE = 'gate'
HEARTBEAT_HEARD = 'heartbeat_heard'
HEARTBEAT_INTERVAL = 'heartbeat_interval'
HEARTBEAT_TIMEOUT = 'heartbeat_timeout'
IMAGE_FILE = 'image_file'
IMAGE_NAME = 'image_name'
IMAGE_TAG = 'image_tag'
INCLUDE_ERROR = 'include_error'
INSTRUCTIONS = 'instructions'
JOB_ID = 'job_id'
LB_ID = 'lb_id'
LB_SNAPSHOT = 'lb_snapshot'
LOAD_BALANCER_IDS = 'load_balancer_ids'
PROCEDURE = 'procedure'
PROJECT_ID = 'project_id'
REFRESH_BEFORE = 'refresh_before'
RENEW_OUTCOME = 'renew_outcome'
REPAIR_OUTCOME = 'repair_outcome'
TARGET_IMAGE = 'target_image'
TARGET_RESULT = 'target_result'
TARGETS = 'targets'
UPLOADED_IMAGE = 'uploaded_image'
VERIFY_TRAFFIC = 'verify_traffic'

# -- Store keys of the host procedures (cleanup-node, evacuate-host) --------
AMPHORA_FAILOVERS = 'amphora_failovers'
COMPUTE_SERVICE = 'compute_service'
HOST = 'host'
SERVER_DELETE = 'server_delete'
SERVER_ID = 'server_id'

# -- Flow and atom names ----------------------------------------------------
PREFIX = 'octavia-maint'
CAMPAIGN_FLOW = PREFIX + '-campaign-flow'
CAMPAIGN_STARTED = PREFIX + '-campaign-children-started'
CAMPAIGN_RUN_CHILDREN = PREFIX + '-campaign-run-children'
CAMPAIGN_CHECK_OUTCOME = PREFIX + '-campaign-check-outcome'
CAMPAIGN_CANARY_FLOW = PREFIX + '-campaign-canary-flow'
CAMPAIGN_SELECT_CANARIES = PREFIX + '-campaign-select-canaries'
CAMPAIGN_RUN_CANARIES = PREFIX + '-campaign-run-canaries'
CAMPAIGN_CHECK_CANARIES = PREFIX + '-campaign-check-canaries'
CAMPAIGN_CANARY_GATE = PREFIX + '-campaign-gate-canaries'
CAMPAIGN_SOAK_CANARIES = PREFIX + '-campaign-soak-canaries'
ROTATE_IMAGE_PLAN_FLOW = PREFIX + '-rotate-image-plan-flow'
ROTATE_IMAGE_UPLOAD = PREFIX + '-rotate-image-upload'
# A dry run's stand-in for the upload (never saved: dry runs are not jobs).
ROTATE_IMAGE_PLAN_UPLOAD = PREFIX + '-rotate-image-plan-upload'
ROTATE_IMAGE_RESOLVE = PREFIX + '-rotate-image-resolve-target'
ROTATE_IMAGE_SELECT = PREFIX + '-rotate-image-select'
ROTATE_IMAGE_TARGET_FLOW = PREFIX + '-rotate-image-target-flow'
ROTATE_IMAGE_SNAPSHOT = PREFIX + '-rotate-image-snapshot'
ROTATE_IMAGE_FAILOVER = PREFIX + '-rotate-image-failover'
ROTATE_IMAGE_VERIFY = PREFIX + '-rotate-image-verify'
ROTATE_IMAGE_CHECK_SCOPE = PREFIX + '-rotate-image-check-scope'
HEARTBEAT_KEY_PLAN_FLOW = PREFIX + '-heartbeat-key-plan-flow'
HEARTBEAT_KEY_GATE_CHANGE_KEY = PREFIX + '-heartbeat-key-gate-change-key'
HEARTBEAT_KEY_SELECT = PREFIX + '-heartbeat-key-select'
HEARTBEAT_KEY_TARGET_FLOW = PREFIX + '-heartbeat-key-target-flow'
HEARTBEAT_KEY_SNAPSHOT = PREFIX + '-heartbeat-key-snapshot'
HEARTBEAT_KEY_CONFIGURE = PREFIX + '-heartbeat-key-configure'
HEARTBEAT_KEY_WAIT_HEARD = PREFIX + '-heartbeat-key-wait-heard'
HEARTBEAT_KEY_FAILOVER_UNHEARD = PREFIX + '-heartbeat-key-failover-unheard'
HEARTBEAT_KEY_GATE_RESTORE = PREFIX + '-heartbeat-key-gate-restore-timeout'
CLEANUP_NODE_PLAN_FLOW = PREFIX + '-cleanup-node-plan-flow'
CLEANUP_NODE_SELECT = PREFIX + '-cleanup-node-select'
CLEANUP_NODE_TARGET_FLOW = PREFIX + '-cleanup-node-target-flow'
CLEANUP_NODE_DELETE = PREFIX + '-cleanup-node-delete'
CLEANUP_NODE_VERIFY = PREFIX + '-cleanup-node-verify'
EVACUATE_HOST_PLAN_FLOW = PREFIX + '-evacuate-host-plan-flow'
EVACUATE_HOST_FIND_SERVICE = PREFIX + '-evacuate-host-find-service'
EVACUATE_HOST_DISABLE = PREFIX + '-evacuate-host-disable-service'
EVACUATE_HOST_SELECT = PREFIX + '-evacuate-host-select'
EVACUATE_HOST_TARGET_FLOW = PREFIX + '-evacuate-host-target-flow'
EVACUATE_HOST_SNAPSHOT = PREFIX + '-evacuate-host-snapshot'
EVACUATE_HOST_FAILOVER = PREFIX + '-evacuate-host-failover'
EVACUATE_HOST_VERIFY = PREFIX + '-evacuate-host-verify'
EVACUATE_HOST_CHECK_EMPTY = PREFIX + '-evacuate-host-check-empty'
# rotate-certs
ROTATE_CERTS_PLAN_FLOW = PREFIX + '-rotate-certs-plan-flow'
ROTATE_CERTS_SELECT = PREFIX + '-rotate-certs-select'
ROTATE_CERTS_EXPIRE = PREFIX + '-rotate-certs-expire'
ROTATE_CERTS_DEPLOY_GATE = PREFIX + '-rotate-certs-gate-deploy'
ROTATE_CERTS_SERVER_CA_GATE = PREFIX + '-rotate-certs-gate-server-ca'
ROTATE_CERTS_TARGET_FLOW = PREFIX + '-rotate-certs-target-flow'
ROTATE_CERTS_SNAPSHOT = PREFIX + '-rotate-certs-snapshot'
ROTATE_CERTS_RENEW = PREFIX + '-rotate-certs-renew'
ROTATE_CERTS_VERIFY = PREFIX + '-rotate-certs-verify'
ROTATE_CERTS_CHECK_SCOPE = PREFIX + '-rotate-certs-check-scope'
# repair
REPAIR_PLAN_FLOW = PREFIX + '-repair-plan-flow'
REPAIR_SELECT = PREFIX + '-repair-select'
REPAIR_TARGET_FLOW = PREFIX + '-repair-target-flow'
REPAIR_SNAPSHOT = PREFIX + '-repair-snapshot'
REPAIR_FAILOVER = PREFIX + '-repair-failover'
REPAIR_VERIFY = PREFIX + '-repair-verify'
# preflight (run before posting, never saved)
PREFLIGHT_FLOW = PREFIX + '-preflight-flow'
PREFLIGHT_SCOPE = PREFIX + '-preflight-scope'
PREFLIGHT_IMAGE_TAG = PREFIX + '-preflight-image-tag'
PREFLIGHT_OCTAVIA_DB = PREFIX + '-preflight-octavia-db'
PREFLIGHT_HOST = PREFIX + '-preflight-host'
PREFLIGHT_HOST_TRACKING = PREFIX + '-preflight-host-tracking'
PREFLIGHT_CONFIGURE_WINDOW = PREFIX + '-preflight-configure-window'
# Atoms that fail something over (metrics time them).
FAILOVER_ATOMS = (ROTATE_IMAGE_FAILOVER, HEARTBEAT_KEY_FAILOVER_UNHEARD,
                  EVACUATE_HOST_FAILOVER, REPAIR_FAILOVER)

# -- Procedures -------------------------------------------------------------
ROTATE_IMAGE = 'rotate-image'
ROTATE_CERTS = 'rotate-certs'
HEARTBEAT_KEY = 'heartbeat-key'
CLEANUP_NODE = 'cleanup-node'
EVACUATE_HOST = 'evacuate-host'
REPAIR = 'repair'
# How rotate-certs renews amphora certificates.
CERTS_BY_HOUSEKEEPING = 'housekeeping'
CERTS_BY_FAILOVER = 'failover'

# -- What a plan says of each target ----------------------------------------
PLAN_RUN = 'run'
PLAN_SKIP = 'skip'

# -- What a target's step did (the ``action`` of its result) ---------------
# Saved with the job and read by the next step: the values are stable.
ACTION_FAILED_OVER = 'failed_over'
ACTION_RENEWED = 'renewed'
ACTION_CONFIGURED = 'configured'
ACTION_ALREADY_HEARD = 'already-heard'
ACTION_DELETED = 'deleted'
ACTION_DELETING = 'deleting'

# -- Target outcomes (per load balancer, as job show reports them) ----------
OUTCOME_SUCCEEDED = 'succeeded'
OUTCOME_SKIPPED = 'skipped'
OUTCOME_FAILED = 'failed'
OUTCOME_PENDING = 'pending'
OUTCOME_RUNNING = 'running'
OUTCOME_NOT_ATTEMPTED = 'not-attempted'

# -- What a running target does about the failover throttle ----------------
# Saved in the target's flow meta under FAILOVER_PHASE with its ``since``:
# job show and the progress line tell a failover from a wait for a slot.
FAILOVER_PHASE = 'failover_phase'
PHASE_WAITING_FOR_SLOT = 'waiting for a throttle slot'
PHASE_FAILING_OVER = 'failing over'

# -- Job states an operator sees --------------------------------------------
JOB_QUEUED = 'queued'
JOB_RUNNING = 'running'
JOB_WAITING = 'waiting'
JOB_SUCCEEDED = 'succeeded'
JOB_FAILED = 'failed'
JOB_CANCELLED = 'cancelled'
JOB_INTERRUPTED = 'interrupted'
JOB_STATES = (JOB_QUEUED, JOB_RUNNING, JOB_WAITING, JOB_SUCCEEDED,
              JOB_FAILED, JOB_CANCELLED, JOB_INTERRUPTED)
ACTIVE_JOB_STATES = (JOB_QUEUED, JOB_RUNNING, JOB_WAITING, JOB_INTERRUPTED)

# -- Octavia statuses --------------------------------------------------------
ACTIVE = 'ACTIVE'
ERROR = 'ERROR'
PENDING_UPDATE = 'PENDING_UPDATE'
DELETED = 'DELETED'
# An amphora Octavia's health manager stopped failing over (its
# failover_threshold was reached).
FAILOVER_STOPPED = 'FAILOVER_STOPPED'
AMPHORA_PROVIDERS = ('amphora', 'amphorav2', 'octavia')
# Load balancer topologies.
SINGLE = 'SINGLE'
ACTIVE_STANDBY = 'ACTIVE_STANDBY'
# Parts of a status tree that serve, and one that serves partly.
ONLINE = 'ONLINE'
NO_MONITOR = 'NO_MONITOR'
DEGRADED = 'DEGRADED'
