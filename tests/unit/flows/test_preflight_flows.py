"""Every procedure's preflight is a graph of checks that needs nothing but
what it injects: ``JobService.validate`` runs it with an empty store."""

import pytest
from taskflow import engines

from octavia_maint.common import constants
from octavia_maint.flows import registry
from tests.unit.sample_params import PARAMS

pytestmark = pytest.mark.usefixtures('config')


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
