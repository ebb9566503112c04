"""rotate-image flows are checked as built graphs, without running them."""

import datetime

from oslo_utils import timeutils
import pytest
from taskflow import flow as flow_mod

from octavia_maint.common import constants
from octavia_maint.common import estimates
from octavia_maint.common import exceptions
from octavia_maint.common import image_file
from octavia_maint.flows import campaign
from octavia_maint.flows import registry

LB = '6b2c4f0e-1d1c-4b8e-9a61-2f1f3c1f1a01'


@pytest.fixture
def proc():
    return registry.get(constants.ROTATE_IMAGE)


def test_plan_flow_provides_targets_and_child_inputs(proc):
    params = proc.validate({})
    flow = proc.get_plan_flow(params)
    assert {constants.TARGETS, constants.TARGET_IMAGE} <= flow.provides
    assert not flow.requires - set(proc.campaign_store(params))


def test_upload_only_when_a_file_is_given_and_not_in_dry_run(proc, tmp_path):
    image = tmp_path / 'amphora.qcow2'
    image.write_bytes(image_file.qcow2_header(2 * 1024 ** 3))
    params = proc.validate({'image_file': str(image)})
    names = [a.name for a, _ in proc.get_plan_flow(params).iter_nodes()]
    assert constants.ROTATE_IMAGE_UPLOAD in names
    dry = [a.name for a, _ in proc.get_plan_flow(params, True).iter_nodes()]
    assert constants.ROTATE_IMAGE_UPLOAD not in dry


def test_target_flow_contract(proc):
    flow = proc.get_target_flow(LB)
    assert flow.requires == {constants.LB_ID, constants.CAMPAIGN_ID,
                             constants.TARGET_IMAGE, constants.INCLUDE_ERROR}
    assert constants.TARGET_RESULT in flow.provides


def test_campaign_flow_needs_only_its_store(proc):
    params = proc.validate({'load_balancer_ids': [LB]})
    flow = campaign.campaign_flow_factory(proc.name, params)
    store = dict(proc.campaign_store(params), **{constants.JOB_ID: 'j'})
    assert not flow.requires - set(store)


@pytest.mark.parametrize('params, message', [
    ({'load_balancer_ids': ['not-a-uuid']}, 'not a load balancer ID'),
    ({'bogus': 1}, 'does not take bogus'),
    ({'project_id': 'p', 'load_balancer_ids': [LB]}, 'not both'),
    ({'image_file': '/nonexistent/file.qcow2'}, 'cannot read image file'),
    ({'image_file': __file__}, 'not a qcow2 image'),
    ({'disk_format': 'raw'}, 'give it too'),
    ({'older_than': 0}, 'positive whole number of days'),
    ({'older_than': -3}, 'positive whole number of days'),
    ({'older_than': '30'}, 'positive whole number of days'),
])
def test_bad_parameters_are_refused(proc, params, message):
    with pytest.raises(exceptions.InvalidInput, match=message):
        proc.validate(params)


def test_unknown_procedure():
    with pytest.raises(exceptions.InvalidInput, match='unknown procedure'):
        registry.get('rotate-everything')


def test_older_than_fixes_its_cutoff_when_posted(proc):
    params = proc.validate({'older_than': 30})
    cutoff = timeutils.parse_isotime(
        proc.campaign_store(params)[constants.REFRESH_BEFORE])
    expected = timeutils.utcnow() - datetime.timedelta(days=30)
    assert abs((cutoff.replace(tzinfo=None) - expected).total_seconds()) < 5
    assert constants.REFRESH_BEFORE not in proc.campaign_store(
        proc.validate({}))
    # The plan reads it from the store the campaign starts with.
    atoms = {a.name: a for a, _ in proc.get_plan_flow(params).iter_nodes()}
    assert (constants.REFRESH_BEFORE in
            atoms[constants.ROTATE_IMAGE_SELECT].optional)


class Throttle:
    max_concurrent_failovers = 10
    min_interval_seconds = 0.0
    expected_failover_seconds = 60


def test_the_estimate_says_which_figures_it_used(proc):
    params = proc.validate({})
    targets = [{'id': 'lb-%d' % n, 'topology': estimates.TOPOLOGY_SINGLE}
               for n in range(25)]
    history = estimates.FailoverTimes(
        {estimates.TOPOLOGY_SINGLE: estimates.Figures(48, 62.0, 80.0)}.get,
        60)
    plan = proc.estimate(params, targets, Throttle(), history)
    assert plan['rounds'] == 3
    assert plan['estimated_seconds'] == 3 * 62
    assert plan['notes'] == (
        'Estimated from the last 48 SINGLE failovers of this cloud: median '
        '62 s (p90 80 s).')
    none = estimates.FailoverTimes(lambda topology: None, 60)
    plan = proc.estimate(params, targets, Throttle(), none)
    assert plan['estimated_seconds'] == 3 * 60
    assert plan['notes'] == ('No SINGLE failover history: using [throttle] '
                             'expected_failover_seconds = 60.')


def atom_names(flow):
    """Names of the atoms of ``flow`` and of its subflows, in order."""
    names = []
    for node, _ in flow.iter_nodes():
        if isinstance(node, flow_mod.Flow):
            names.extend(atom_names(node))
        else:
            names.append(node.name)
    return names


def campaign_names(proc, params):
    names = atom_names(campaign.campaign_flow_factory(proc.name, params))
    return names[names.index(constants.CAMPAIGN_STARTED):]


def test_canaries_come_first_then_the_gate(proc):
    params = proc.validate({'canary': 3})
    assert campaign_names(proc, params) == [
        constants.CAMPAIGN_STARTED, constants.CAMPAIGN_SELECT_CANARIES,
        constants.CAMPAIGN_RUN_CANARIES, constants.CAMPAIGN_CHECK_CANARIES,
        constants.CAMPAIGN_CANARY_GATE, constants.CAMPAIGN_SOAK_CANARIES,
        constants.CAMPAIGN_RUN_CHILDREN, constants.CAMPAIGN_CHECK_OUTCOME,
        constants.ROTATE_IMAGE_CHECK_SCOPE]
    flow = campaign.campaign_flow_factory(proc.name, params)
    store = dict(proc.campaign_store(params), **{constants.JOB_ID: 'j'})
    assert not flow.requires - set(store)


def test_a_soak_replaces_the_gate(proc):
    names = campaign_names(proc, proc.validate({'canary': 2,
                                                'canary_soak': 30}))
    assert constants.CAMPAIGN_CANARY_GATE not in names
    assert constants.CAMPAIGN_SOAK_CANARIES in names


def test_no_canaries_no_wave(proc):
    names = campaign_names(proc, proc.validate({}))
    assert constants.CAMPAIGN_SELECT_CANARIES not in names


def test_the_data_plane_check_is_on_unless_turned_off(proc):
    assert proc.child_params(proc.validate({})) == {
        constants.VERIFY_TRAFFIC: True}
    assert proc.child_params(proc.validate({'verify_traffic': False})) == {
        constants.VERIFY_TRAFFIC: False}
    # A job posted before the parameter existed checks too.
    assert proc.child_params({}) == {constants.VERIFY_TRAFFIC: True}


@pytest.mark.parametrize('params, message', [
    ({'canary': 0}, '--canary must be at least 1'),
    ({'canary_soak': 10}, 'goes with --canary'),
    ({'canary': 2, 'canary_soak': -1}, 'goes with --canary'),
])
def test_bad_canary_parameters_are_refused(proc, params, message):
    with pytest.raises(exceptions.InvalidInput, match=message):
        proc.validate(params)


def test_a_dry_run_names_the_canaries(proc):
    targets = [{'id': 'a', 'action': constants.PLAN_RUN, 'project_id': 'p1',
                'topology': constants.SINGLE},
               {'id': 'b', 'action': constants.PLAN_RUN, 'project_id': 'p1',
                'topology': constants.ACTIVE_STANDBY}]
    assert proc.canary_notes(proc.validate({}), targets) is None
    notes = proc.canary_notes(proc.validate({'canary': 1}), targets)
    assert notes.startswith('Canaries first: a (SINGLE, project p1); then '
                            'a gate until job continue.')
    assert 'a watch of 60s' in proc.canary_notes(
        proc.validate({'canary': 2, 'canary_soak': 60}), targets)
