"""Gates: a job waits for ``job continue``, says so, and can be cancelled.

A small procedure of this module (registered for the test only) has a
gate in its plan and one in its finish flow, around two child jobs; it
runs in local mode with the real TaskFlow and SQLite.
"""

import threading

import pytest
from taskflow.patterns import linear_flow
from taskflow import task

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.flows import procedure
from octavia_maint.flows import registry
from octavia_maint.tasks import gate_tasks
from tests.fixtures import simulator as sim_fixture
from tests.functional.engine import conftest

NAME = 'gated-test'
REVERTED = []


class PlanTwoTargets(task.Task):
    def execute(self):
        return [{'id': t, 'action': constants.PLAN_RUN, 'reason': ''}
                for t in ('target-1', 'target-2')]

    def revert(self, **kwargs):
        REVERTED.append('plan')


class Succeed(task.Task):
    def execute(self, lb_id):
        return {'outcome': constants.OUTCOME_SUCCEEDED, 'reason': lb_id}


def gate(name, instructions):
    return gate_tasks.WaitForOperator(
        name=NAME + '-gate-' + name,
        inject={constants.GATE: name, constants.INSTRUCTIONS: instructions})


class GatedProcedure(procedure.Procedure):
    name = NAME
    target_key = constants.LB_ID
    plan_atom = NAME + '-plan'
    result_atom = NAME + '-succeed'

    def get_plan_flow(self, params, dry_run=False):
        return linear_flow.Flow(NAME + '-plan-flow').add(
            PlanTwoTargets(name=self.plan_atom, provides=constants.TARGETS),
            gate('before', 'raise the timeout'))

    def get_target_flow(self, target_id):
        return linear_flow.Flow(NAME + '-target').add(
            Succeed(name=self.result_atom, provides=constants.TARGET_RESULT))

    def get_finish_flow(self, params):
        return gate('after', 'restore the timeout')


@pytest.fixture
def service(monkeypatch, config, tmp_path):
    monkeypatch.setitem(registry.PROCEDURES, NAME, GatedProcedure())
    sim = conftest.make_simulator(monkeypatch, load_balancers=1)
    service = conftest.local_service(config, tmp_path)
    REVERTED.clear()
    yield service
    service.close()
    sim.cleanUp()


def start(service, job_id):
    runner = threading.Thread(target=service.local_runner().run,
                              args=(job_id,), daemon=True)
    runner.start()
    return runner


def wait_for_gate(service, job_id, instructions):
    sim_fixture.wait_until(
        lambda: service.view(job_id)['waiting_for'] == instructions,
        timeout=30)
    view = service.view(job_id)
    assert view['state'] == constants.JOB_WAITING
    assert view['conductor']          # this process runs it
    return view


def test_job_waits_at_each_gate_until_continued(service):
    job_id = service.post(NAME, {})
    runner = start(service, job_id)
    wait_for_gate(service, job_id, 'raise the timeout')
    # Nothing behind the gate ran yet.
    assert service.show(job_id)['counts'][constants.OUTCOME_SUCCEEDED] == 0
    service.continue_job(job_id)
    wait_for_gate(service, job_id, 'restore the timeout')
    assert service.show(job_id)['counts'][constants.OUTCOME_SUCCEEDED] == 2
    service.continue_job(job_id)
    runner.join(30)
    view = service.show(job_id)
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert view['waiting_for'] is None
    with pytest.raises(exceptions.InvalidInput, match='not waiting'):
        service.continue_job(job_id)


def test_cancel_at_a_gate_reverts(service):
    job_id = service.post(NAME, {})
    runner = start(service, job_id)
    wait_for_gate(service, job_id, 'raise the timeout')
    service.cancel(job_id)
    runner.join(30)
    assert service.view(job_id)['state'] == constants.JOB_CANCELLED
    assert REVERTED == ['plan']


def test_continue_before_the_gate_is_refused(service):
    job_id = service.post(NAME, {})
    with pytest.raises(exceptions.InvalidInput,
                       match='is queued, not waiting at a gate'):
        service.continue_job(job_id)
