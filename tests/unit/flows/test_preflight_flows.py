"""Every procedure's preflight is a graph of checks that needs nothing but
what it injects: ``JobService.validate`` runs it with an empty store."""

from oslo_config import fixture as config_fixture
import pytest
from taskflow import engines

from octavia_maint.common import constants
from octavia_maint import conf
from octavia_maint.flows import registry

LB = '6b2c4f0e-1d1c-4b8e-9a61-2f1f3c1f1a01'
PARAMS = {
    constants.ROTATE_IMAGE: {'load_balancer_ids': [LB]},
    constants.ROTATE_CERTS: {'mode': 'amphora-certs'},
    constants.HEARTBEAT_KEY: {'heartbeat_timeout': 600},
    constants.CLEANUP_NODE: {'host': 'compute-1'},
    constants.EVACUATE_HOST: {'host': 'compute-1'},
    constants.REPAIR: {'load_balancer_ids': [LB]},
}


@pytest.fixture(autouse=True)
def config():
    fixture = config_fixture.Config(conf.CONF)
    fixture.setUp()
    fixture.config(service_project_id='service', group='octavia')
    yield
    fixture.cleanUp()


@pytest.mark.parametrize('name', sorted(registry.PROCEDURES))
def test_preflight_needs_no_store(name):
    proc = registry.get(name)
    flow = proc.get_preflight_flow(proc.validate(PARAMS[name]))
    assert flow is not None
    engine = engines.load(flow, engine='serial')
    engine.compile()
    engine.prepare()
    engine.validate()


def test_only_evacuate_host_can_doubt():
    doubting = {name for name, proc in registry.PROCEDURES.items()
                if constants.DOUBT in proc.get_preflight_flow(
                    proc.validate(PARAMS[name])).provides}
    assert doubting == {constants.EVACUATE_HOST}
