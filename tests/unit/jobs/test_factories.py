"""Saved jobs name their flow factory: old names still load (issue 12)."""

import contextlib

import pytest
from taskflow import engines
from taskflow.persistence import backends
from taskflow.persistence import models

from octavia_maint.common import constants
from octavia_maint.flows import campaign
from octavia_maint.flows import registry
from octavia_maint.jobs import factories
from octavia_maint.jobs import resume
from tests.unit.sample_params import PARAMS

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


@pytest.mark.usefixtures('config')
@pytest.mark.parametrize('name', sorted(registry.PROCEDURES))
def test_a_campaign_saved_before_the_plan_flows_got_the_prefix_loads(
        name, monkeypatch):
    """Only atoms are saved, matched by name: renaming a (sub)flow leaves
    a saved campaign's atoms as they are."""
    proc = registry.get(name)
    params = proc.validate(PARAMS[name])
    new = campaign.campaign_flow_factory(name, params)
    constant = name.upper().replace('-', '_') + '_PLAN_FLOW'
    assert _plan_flow_name(new) == constants.PREFIX + '-' + name + '-plan-flow'
    monkeypatch.setattr(constants, constant, name + '-plan-flow')
    old = campaign.campaign_flow_factory(name, params)
    assert _plan_flow_name(old) == name + '-plan-flow'
    backend = backends.fetch({'connection': 'memory://'})
    book = models.LogBook('job')
    flow_detail = models.FlowDetail('job', 'flow-uuid')
    book.add(flow_detail)
    with contextlib.closing(backend.get_connection()) as conn:
        conn.save_logbook(book)
    saved = _atoms(old, book, flow_detail, backend)
    assert _atoms(new, book, flow_detail, backend) == saved


def _plan_flow_name(campaign_flow):
    return next(iter(campaign_flow)).name


def _atoms(flow, book, flow_detail, backend):
    """Load ``flow`` on the saved detail: ``{atom name: atom uuid}``."""
    engine = engines.load(flow, flow_detail=flow_detail, book=book,
                          backend=backend, engine='serial',
                          store={constants.JOB_ID: 'j'})
    engine.compile()
    engine.prepare()
    with contextlib.closing(backend.get_connection()) as conn:
        detail = conn.get_flow_details(flow_detail.uuid)
    return {atom.name: atom.uuid for atom in detail}
