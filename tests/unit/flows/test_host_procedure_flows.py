"""cleanup-node and evacuate-host flows, checked as built graphs."""

import pytest

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.flows import campaign
from octavia_maint.flows import registry

SERVER = '0c7a3b2e-3a5e-4f55-8d5e-1b0f6a0b7c11'
LB = '6b2c4f0e-1d1c-4b8e-9a61-2f1f3c1f1a01'


def names(flow):
    return [a.name for a, _ in flow.iter_nodes()]


@pytest.mark.parametrize('procedure', [constants.CLEANUP_NODE,
                                       constants.EVACUATE_HOST])
def test_campaign_flow_needs_only_its_store(config, procedure):
    proc = registry.get(procedure)
    params = proc.validate({'host': 'compute-1', 'yes': True}
                           if procedure == constants.CLEANUP_NODE
                           else {'host': 'compute-1'})
    flow = campaign.campaign_flow_factory(proc.name, params)
    store = dict(proc.campaign_store(params), **{constants.JOB_ID: 'j'})
    assert not flow.requires - set(store)
    assert proc.targets_of(params) == {'compute-1'}


def test_cleanup_node_contract(config):
    proc = registry.get(constants.CLEANUP_NODE)
    flow = proc.get_target_flow(SERVER)
    assert flow.requires == {constants.SERVER_ID, constants.HOST}
    assert constants.TARGET_RESULT in flow.provides
    assert proc.confirmation_needed({'host': 'h'})
    assert proc.confirmation_needed({'host': 'h', 'yes': True}) is None


def test_cleanup_node_needs_the_service_project(config):
    config.config(service_project_id=None, group='octavia')
    with pytest.raises(exceptions.InvalidInput,
                       match=r'\[octavia\] service_project_id'):
        registry.get(constants.CLEANUP_NODE).validate({'host': 'h'})


def test_evacuate_host_disables_only_outside_a_dry_run(config):
    proc = registry.get(constants.EVACUATE_HOST)
    params = proc.validate({'host': 'compute-1'})
    assert constants.EVACUATE_HOST_DISABLE in names(
        proc.get_plan_flow(params))
    dry = names(proc.get_plan_flow(params, dry_run=True))
    assert constants.EVACUATE_HOST_DISABLE not in dry
    assert constants.EVACUATE_HOST_FIND_SERVICE in dry
    flow = proc.get_target_flow(LB)
    assert flow.requires == {constants.LB_ID, constants.HOST,
                             constants.CAMPAIGN_ID}
    assert constants.EVACUATE_HOST_CHECK_EMPTY in names(
        campaign.campaign_flow_factory(proc.name, params))


@pytest.mark.parametrize('procedure', [constants.CLEANUP_NODE,
                                       constants.EVACUATE_HOST])
@pytest.mark.parametrize('params, message', [
    ({}, 'needs --host'),
    ({'host': '  '}, 'must not be empty'),
    ({'host': 'h', 'bogus': 1}, 'does not take bogus'),
])
def test_bad_parameters_are_refused(config, procedure, params, message):
    with pytest.raises(exceptions.InvalidInput, match=message):
        registry.get(procedure).validate(params)
