"""The runner's engines: a job killed while TaskFlow saved its store still
runs afterwards; a failure stops without reverting, a cancel reverts."""

import logging

import pytest
from taskflow import exceptions as tf_exc
from taskflow.patterns import linear_flow
from taskflow.persistence import models
from taskflow import states
from taskflow import storage
from taskflow import task

from octavia_maint.common import exceptions
from octavia_maint import conf
from octavia_maint.jobs import children
from octavia_maint.jobs import persistence
from octavia_maint.jobs import runner
from octavia_maint.runtime import context

JOB = '5f0c3d2a-8a9e-4f5e-9c51-2e7d7b3f0a42'


class Echo(task.Task):
    def execute(self, word):
        return word


def echo_flow():
    return linear_flow.Flow('echo').add(Echo(name='echo', provides='said'))


REVERTED = []


class Undoable(task.Task):
    def execute(self):
        return 'done'

    def revert(self, *args, **kwargs):
        REVERTED.append(self.name)


class Failing(task.Task):
    def execute(self):
        raise exceptions.FailoverFailed(lb_id='lb', reason='409')


def failing_flow():
    return linear_flow.Flow('failing').add(Undoable(name='undoable'),
                                           Failing(name='failing'))


class Cancelled(context.JobContext):
    def cancelled(self, fresh=False):
        return True


@pytest.fixture
def store(tmp_path, config):
    config.config(connection='sqlite:///%s' % (tmp_path / 'jobs.sqlite'),
                  group='persistence')
    backend = persistence.open_backend(conf.CONF)
    yield persistence.JobStore(backend)
    backend.close()


def test_half_saved_store_injection_is_repaired(store):
    store.create(JOB, 'echo', {}, __name__ + '.echo_flow', {},
                 {'word': 'hello'})
    # What a kill between TaskFlow's two injector writes leaves behind.
    fd = store.get_flow(JOB)
    fd.add(models.TaskDetail(storage.Storage.injector_name,
                             '0c4f4b1e-3a1d-4c59-9a50-4fd1ad5ee2a1'))
    with store._conn() as conn:
        conn.update_flow_details(fd)

    engine = runner.engine_for(store.get_flow(JOB, with_atoms=True),
                               store.backend)
    engine.run()
    assert engine.storage.fetch('said') == 'hello'
    assert store.get_flow(JOB).state == states.SUCCESS


class Backend:
    """What LocalRunner needs of a JobBackend, over a real JobStore."""

    def __init__(self, store):
        self.store = store
        self.persistence = store.backend

    def running_job(self, job_id, children_dispatch):
        return Context(job_id=job_id)


class Context(context.JobContext):
    def bind(self, engine):
        pass


def test_a_job_stopped_before_its_engine_registers_does_not_run(
        store, monkeypatch):
    store.create(JOB, 'echo', {}, __name__ + '.echo_flow', {},
                 {'word': 'hello'})
    local = runner.LocalRunner(Backend(store), 2)
    loaded = runner.engine_for

    def stop_while_loading(*args):
        # Ctrl-C lands after run() looked, before stop() could see it.
        engine = loaded(*args)
        local.stop()
        return engine
    monkeypatch.setattr(runner, 'engine_for', stop_while_loading)
    local.run(JOB)
    assert store.get_flow(JOB).state is None


def test_children_started_after_a_stop_are_left_for_resume(store):
    child = JOB[:-1] + '3'
    ran = []
    stopped = children.LocalChildren(store, ran.append, 2)
    stopped.shutdown()
    stopped.start(JOB, 'echo', [(child, 'target-1', {})])
    assert ran == []
    assert store.flow_states([child]) == {child: None}
    resumed = children.LocalChildren(store, ran.append, 2)
    assert resumed.dispatch_lost([child]) == 1
    resumed.shutdown()


def _run(store, raised=exceptions.FailoverFailed):
    engine = runner.engine_for(store.get_flow(JOB, with_atoms=True),
                               store.backend)
    with pytest.raises(raised):
        engine.run()


def test_a_failure_stops_without_reverting_and_cancel_reverts(store):
    # TaskFlow's never_resolve option is what this relies on.
    del REVERTED[:]
    store.create(JOB, 'failing', {}, __name__ + '.failing_flow', {}, {})
    _run(store)
    fd = store.get_flow(JOB, with_atoms=True)
    assert fd.state == states.FAILURE
    assert [a.state for a in fd if a.name == 'failing'] == [states.FAILURE]
    assert [a.results for a in fd if a.name == 'undoable'] == ['done']
    assert REVERTED == []

    with context.activate(Cancelled()):
        # A reverted flow re-raises its failure wrapped.
        _run(store, raised=tf_exc.WrappedFailure)
    assert store.get_flow(JOB).state == states.REVERTED
    assert REVERTED == ['undoable']


def test_a_job_failure_is_not_logged_as_an_engine_fault(store, caplog):
    store.create(JOB, 'failing', {}, __name__ + '.failing_flow', {}, {})
    with caplog.at_level(logging.INFO, logger=runner.TASKFLOW_ENGINE_LOGGER):
        _run(store)
    engine_records = [r for r in caplog.records
                      if r.name == runner.TASKFLOW_ENGINE_LOGGER]
    # Fails loudly if TaskFlow stops logging there (the filter is dead).
    assert engine_records
    assert all(r.levelno == logging.INFO and not r.exc_info
               for r in engine_records)


def three_steps():
    return linear_flow.Flow('three').add(
        Echo(name='one', provides='first'),
        Echo(name='two', provides='second'),
        Echo(name='three', provides='third'))


def test_an_engine_saves_states_and_results_but_not_progress(
        store, monkeypatch):
    """TaskFlow writes each task's progress as a second save after each
    state: two writes of six per task that nothing reads (issue 13)."""
    store.create(JOB, 'three', {}, __name__ + '.three_steps', {},
                 {'word': 'hello'})
    connection = store.backend.get_connection()
    written = []
    save = connection.update_atom_details

    def count(atom_detail):
        written.append((atom_detail.name, atom_detail.state))
        return save(atom_detail)
    monkeypatch.setattr(connection, 'update_atom_details', count)

    runner.engine_for(store.get_flow(JOB, with_atoms=True),
                      store.backend).run()
    steps = [w for w in written if w[0] != storage.Storage.injector_name]
    assert steps == [(name, state) for name in ('one', 'two', 'three')
                     for state in (states.RUNNING, states.SUCCESS)]
    atoms = {a.name: a for a in store.atoms(JOB)}
    assert [atoms[n].state for n in ('one', 'two', 'three')] == [
        states.SUCCESS] * 3
    assert atoms['three'].results == 'hello'
