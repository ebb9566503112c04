"""repair flows, checked as built graphs, and its parameters."""

import pytest

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.flows import campaign
from octavia_maint.flows import registry

LB = '6b2c4f0e-1d1c-4b8e-9a61-2f1f3c1f1a01'


def names(flow):
    return [a.name for a, _ in flow.iter_nodes()]


def test_campaign_and_child_flows_need_only_their_store():
    proc = registry.get(constants.REPAIR)
    params = proc.validate({})
    assert params == {'project_id': None, 'load_balancer_ids': [],
                      'verify_traffic': True}
    flow = campaign.campaign_flow_factory(proc.name, params)
    assert flow.requires == {constants.JOB_ID}
    child = campaign.child_flow_factory(proc.name, LB)
    assert child.requires == {constants.CAMPAIGN_ID, constants.LB_ID}
    assert names(child) == [constants.REPAIR_SNAPSHOT,
                            constants.REPAIR_FAILOVER,
                            constants.REPAIR_VERIFY]
    assert constants.REPAIR_FAILOVER in constants.FAILOVER_ATOMS
    assert proc.targets_of(proc.validate({'load_balancer_ids': [LB]})) == {
        LB}


@pytest.mark.parametrize('params, message', [
    ({'load_balancer_ids': ['nope']}, 'not a load balancer ID'),
    ({'load_balancer_ids': [LB], 'project_id': 'p'}, 'not both'),
    ({'include_error': True}, 'repair does not take include_error'),
])
def test_bad_parameters_are_refused(params, message):
    with pytest.raises(exceptions.InvalidInput, match=message):
        registry.get(constants.REPAIR).validate(params)
