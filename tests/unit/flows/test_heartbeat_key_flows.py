"""heartbeat-key flows are checked as built graphs, without running them."""

import pytest

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.flows import campaign
from octavia_maint.flows import registry

AMPHORA = '6b2c4f0e-1d1c-4b8e-9a61-2f1f3c1f1a01'


@pytest.fixture
def proc():
    return registry.get(constants.HEARTBEAT_KEY)


def names(flow):
    return [a.name for a, _ in flow.iter_nodes()]


def test_the_key_change_gate_is_only_in_a_real_plan(proc):
    params = proc.validate({'heartbeat_timeout': 3600})
    assert names(proc.get_plan_flow(params)) == [
        constants.HEARTBEAT_KEY_GATE_CHANGE_KEY,
        constants.HEARTBEAT_KEY_SELECT]
    assert names(proc.get_plan_flow(params, dry_run=True)) == [
        constants.HEARTBEAT_KEY_SELECT]


def test_campaign_ends_with_the_restore_gate(proc):
    params = proc.validate({'heartbeat_timeout': 3600,
                            'restore_heartbeat_timeout': 90})
    flow = campaign.campaign_flow_factory(constants.HEARTBEAT_KEY, params)
    atoms = names(flow)
    assert atoms.index(constants.CAMPAIGN_RUN_CHILDREN) < atoms.index(
        constants.HEARTBEAT_KEY_GATE_RESTORE) < atoms.index(
        constants.CAMPAIGN_CHECK_OUTCOME)
    assert not flow.requires - set(proc.campaign_store(params)) - {
        constants.JOB_ID}


def test_target_flow_contract(proc):
    flow = proc.get_target_flow(AMPHORA)
    assert flow.requires == {constants.AMPHORA_ID, constants.CAMPAIGN_ID,
                             constants.HEARTBEAT_INTERVAL}
    assert constants.TARGET_RESULT in flow.provides


def test_no_parameter_can_carry_a_key(proc):
    assert not [p for p in proc.parameters if 'key' in p.name]


@pytest.mark.parametrize('params, message', [
    ({}, 'needs --heartbeat-timeout'),
    ({'heartbeat_timeout': 0}, 'positive'),
    ({'heartbeat_timeout': 60}, 'must be above the timeout to restore'),
    ({'heartbeat_timeout': 600, 'heartbeat_interval': -1}, 'positive'),
])
def test_bad_parameters(proc, params, message):
    with pytest.raises(exceptions.InvalidInput, match=message):
        proc.validate(params)
