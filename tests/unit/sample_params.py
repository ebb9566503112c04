"""Valid parameters of every procedure, for tests that build all of them."""

from octavia_maint.common import constants

# Octavia's service project ([octavia] service_project_id) in unit tests.
SERVICE_PROJECT = 'service-project'
LB = '6b2c4f0e-1d1c-4b8e-9a61-2f1f3c1f1a01'
PARAMS = {
    constants.ROTATE_IMAGE: {'load_balancer_ids': [LB]},
    constants.ROTATE_CERTS: {'mode': 'amphora-certs'},
    constants.HEARTBEAT_KEY: {'heartbeat_timeout': 600},
    constants.CLEANUP_NODE: {'host': 'compute-1'},
    constants.EVACUATE_HOST: {'host': 'compute-1'},
    constants.REPAIR: {'load_balancer_ids': [LB]},
}
