"""rotate-certs flows are checked as built graphs, without running them."""

import pytest

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.flows import campaign
from octavia_maint.flows import registry
from tests.fixtures import certificates
from tests.unit.flows import test_rotate_image_flows as rotate_image_flows

LB = '6b2c4f0e-1d1c-4b8e-9a61-2f1f3c1f1a01'


@pytest.fixture
def proc():
    return registry.get(constants.ROTATE_CERTS)


@pytest.fixture
def ca(tmp_path):
    return certificates.CA(tmp_path)


def names(flow):
    return [a.name for a, _ in flow.iter_nodes()]


def test_housekeeping_plan_expires_but_not_in_dry_run(proc):
    params = proc.validate({})
    assert names(proc.get_plan_flow(params)) == [
        constants.ROTATE_CERTS_SELECT, constants.ROTATE_CERTS_EXPIRE]
    assert names(proc.get_plan_flow(params, dry_run=True)) == [
        constants.ROTATE_CERTS_SELECT]
    assert proc.campaign_store(params)[constants.CERT_ROTATION] == (
        constants.CERTS_BY_HOUSEKEEPING)


def test_via_failover_plan_only_selects(proc):
    params = proc.validate({'via_failover': True})
    assert names(proc.get_plan_flow(params)) == [
        constants.ROTATE_CERTS_SELECT]
    assert proc.get_finish_flow(params) is None


def test_ca_mode_gates_but_never_in_dry_run(proc, ca):
    params = proc.validate({'mode': 'ca', 'ca_cert': str(ca.cert_path),
                            'ca_key': str(ca.key_path)})
    assert names(proc.get_plan_flow(params))[-1] == (
        constants.ROTATE_CERTS_DEPLOY_GATE)
    assert constants.ROTATE_CERTS_DEPLOY_GATE not in names(
        proc.get_plan_flow(params, dry_run=True))
    assert proc.get_finish_flow(params).name == (
        constants.ROTATE_CERTS_SERVER_CA_GATE)
    assert params['ca']['sha256_fingerprint'].count(':') == 31
    assert 'PRIVATE' not in repr(params)


def test_target_flow_contract(proc):
    flow = proc.get_target_flow(LB)
    assert flow.requires == {constants.LB_ID, constants.CAMPAIGN_ID,
                             constants.INCLUDE_ERROR,
                             constants.CERT_ROTATION}
    assert constants.TARGET_RESULT in flow.provides


@pytest.mark.parametrize('params', [
    {}, {'via_failover': True}, {'load_balancer_ids': [LB]},
    {'via_failover': True, 'canary': 2}])
def test_campaign_flow_needs_only_its_store(proc, params):
    params = proc.validate(params)
    flow = campaign.campaign_flow_factory(proc.name, params)
    store = dict(proc.campaign_store(params), **{constants.JOB_ID: 'j'})
    assert not flow.requires - set(store)


@pytest.mark.parametrize('params, message', [
    ({'mode': 'nope'}, '--mode must be one of'),
    ({'mode': 'ca', 'ca_cert': '/x.pem'}, 'needs --ca-key'),
    ({'mode': 'client-ca', 'ca_cert': '/x.pem'}, 'needs --client-cert'),
    ({'mode': 'ca', 'via_failover': True}, '--via-failover is for'),
    ({'mode': 'ca', 'project_id': 'p'}, 'must reach every amphora'),
    ({'client_cert': '/x.pem'}, 'amphora-certs keeps the CA'),
    ({'load_balancer_ids': ['nope']}, 'not a load balancer ID'),
    # Housekeeping renews in place: there is no failover to canary.
    ({'canary': 3}, '--canary is for jobs that fail load balancers over'),
])
def test_bad_parameters_are_refused(proc, params, message):
    with pytest.raises(exceptions.InvalidInput, match=message):
        proc.validate(params)


def test_the_data_plane_check_follows_the_failovers(proc):
    check = constants.VERIFY_TRAFFIC
    assert proc.child_params(proc.validate({})) == {check: False}
    assert proc.child_params(proc.validate({'via_failover': True})) == {
        check: True}
    assert proc.child_params(proc.validate(
        {'via_failover': True, 'verify_traffic': False})) == {check: False}


def test_canaries_of_a_failover_rotation(proc):
    params = proc.validate({'via_failover': True, 'canary': 2})
    flow = campaign.campaign_flow_factory(proc.name, params)
    assert constants.CAMPAIGN_CANARY_GATE in rotate_image_flows.atom_names(
        flow)
    assert proc.canary_subject(params, {}) == 'with new amphora certificates'
