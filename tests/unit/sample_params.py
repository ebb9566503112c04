"""Valid parameters of every procedure, for tests that build all of them."""

from oslo_config import fixture as config_fixture
import pytest

from octavia_maint.common import constants
from octavia_maint import conf

LB = '6b2c4f0e-1d1c-4b8e-9a61-2f1f3c1f1a01'
PARAMS = {
    constants.ROTATE_IMAGE: {'load_balancer_ids': [LB]},
    constants.ROTATE_CERTS: {'mode': 'amphora-certs'},
    constants.HEARTBEAT_KEY: {'heartbeat_timeout': 600},
    constants.CLEANUP_NODE: {'host': 'compute-1'},
    constants.EVACUATE_HOST: {'host': 'compute-1'},
    constants.REPAIR: {'load_balancer_ids': [LB]},
}


@pytest.fixture
def procedure_config():
    """What every procedure needs configured (cleanup-node: the service
    project)."""
    fixture = config_fixture.Config(conf.CONF)
    fixture.setUp()
    fixture.config(service_project_id='service', group='octavia')
    yield fixture
    fixture.cleanUp()
