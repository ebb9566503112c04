"""Saved jobs name their flow factory: old names still load (issue 12)."""

from taskflow.persistence import models

from octavia_maint.common import constants
from octavia_maint.flows import campaign
from octavia_maint.flows import registry
from octavia_maint.jobs import factories
from octavia_maint.jobs import resume

LB = '6b2c4f0e-1d1c-4b8e-9a61-2f1f3c1f1a01'


def saved(factory, **kwargs):
    fd = models.FlowDetail('job', 'flow-uuid')
    fd.meta = {'factory': {'name': factory, 'args': [], 'kwargs': kwargs}}
    return fd


def names(flow):
    return sorted(node.name for node, _ in flow.iter_nodes())


def test_a_campaign_saved_under_the_old_factory_name_rebuilds_the_same():
    params = registry.get(constants.ROTATE_IMAGE).validate({})
    kwargs = {'procedure': constants.ROTATE_IMAGE, 'params': params}
    old = saved('octavia_maint.jobs.campaign.campaign_flow_factory',
                **kwargs)
    rebuilt = factories.rebuild(old)
    assert old.meta['factory']['name'] == factories.CAMPAIGN_FACTORY
    assert (names(rebuilt) ==
            names(campaign.campaign_flow_factory(**kwargs)))


def test_a_child_saved_under_the_old_factory_name_rebuilds_the_same():
    old = saved('octavia_maint.jobs.campaign.child_flow_factory',
                procedure=constants.ROTATE_IMAGE, target_id=LB)
    rebuilt = factories.rebuild(old)
    assert old.meta['factory']['name'] == factories.CHILD_FACTORY
    assert names(rebuilt) == names(
        campaign.child_flow_factory(constants.ROTATE_IMAGE, LB))


def test_current_names_are_left_alone():
    fd = saved(factories.CHILD_FACTORY, procedure='x', target_id=LB)
    assert factories.upgrade(fd).meta['factory']['name'] == (
        factories.CHILD_FACTORY)


def test_resume_runs_again_every_atom_after_the_start_mark():
    proc = registry.get(constants.HEARTBEAT_KEY)
    params = proc.validate({'heartbeat_timeout': 600})
    flow = campaign.campaign_flow_factory(proc.name, params)
    again = resume._after_start(flow)
    assert {constants.CAMPAIGN_RUN_CHILDREN, constants.CAMPAIGN_CHECK_OUTCOME,
            constants.HEARTBEAT_KEY_GATE_RESTORE} <= again
    assert not again & {constants.CAMPAIGN_STARTED, proc.plan_atom,
                        constants.HEARTBEAT_KEY_GATE_CHANGE_KEY}
