"""RunningJob (gates, cancel, claim) and ClaimGuardedBackend.

Fakes stand in for our own boundaries: the job store, the engine's
storage, the claim and TaskFlow's persistence connection. The real
things are exercised by tests/functional/engine/test_gates.py and
test_zookeeper_loss.py.
"""

import pytest
from taskflow.persistence import base as persistence_base

from octavia_maint.common import exceptions
from octavia_maint.jobs import context

JOB = 'job-1'
CAMPAIGN = 'campaign-1'


class FakeStore:
    """Releases the gate once it was asked ``release_after`` times."""

    def __init__(self, released=(), release_after=None, cancelled=()):
        self.released = list(released)
        self.release_after = release_after
        self.cancelled = set(cancelled)
        self.asked = 0

    def released_gates(self, job_id):
        self.asked += 1
        if self.release_after is not None and \
                self.asked > self.release_after:
            return ['restart']
        return self.released

    def cancel_requested(self, job_id, fresh=False):
        return job_id in self.cancelled


class FakeStorage:
    def __init__(self):
        self.notes = []

    def update_flow_metadata(self, fields):
        self.notes.append(fields)


class FakeEngine:
    def __init__(self):
        self.storage = FakeStorage()


class FakeClaim:
    def __init__(self, held=True):
        self.is_held = held
        self.checks = 0

    def check(self):
        self.checks += 1
        if not self.is_held:
            raise exceptions.ClaimLost(owner='me', job_id=JOB)


def running_job(store, claim=None, parent_id=None):
    job = context.RunningJob(JOB, cloud=None, store=store, children=None,
                             failover_throttle=None, breakers=None,
                             parent_id=parent_id, claim=claim)
    engine = FakeEngine()
    job.bind(engine)
    return job, engine.storage.notes


@pytest.fixture(autouse=True)
def no_poll_wait(monkeypatch):
    monkeypatch.setattr(context, 'GATE_POLL_SECONDS', 0.0)


def gates(notes):
    return [n['waiting_gate'] and n['waiting_gate']['gate']
            for n in notes if 'waiting_gate' in n]


def test_a_released_gate_is_passed_without_a_note():
    job, notes = running_job(FakeStore(released=['restart']))
    job.wait_at_gate('restart', 'restart the health managers')
    assert notes == []


def test_the_gate_is_noted_while_waited_at_and_cleared_after():
    store = FakeStore(release_after=3)
    job, notes = running_job(store)
    job.wait_at_gate('restart', 'restart the health managers')
    assert gates(notes) == ['restart', None]
    assert notes[0]['waiting_gate']['instructions'] == (
        'restart the health managers')
    assert store.asked == 4


# A job's own cancel, and a child's campaign's.
@pytest.mark.parametrize('parent_id, cancelled',
                         [(None, {JOB}), (CAMPAIGN, {CAMPAIGN})])
def test_a_cancel_ends_the_wait_and_clears_the_gate(parent_id, cancelled):
    job, notes = running_job(FakeStore(cancelled=cancelled),
                             parent_id=parent_id)
    with pytest.raises(exceptions.JobCancelled):
        job.wait_at_gate('restart', 'restart the health managers')
    assert gates(notes) == ['restart', None]


def test_a_child_reads_its_campaigns_cancel_flag_alone():
    """``job cancel`` refuses a child, so only its campaign's flag can
    stop it: a child in flight does not read its own (issue 13)."""
    class CountingStore(FakeStore):
        asked_about = []

        def cancel_requested(self, job_id, fresh=False):
            self.asked_about.append(job_id)
            return super().cancel_requested(job_id, fresh)

    store = CountingStore(cancelled={CAMPAIGN})
    job, _notes = running_job(store, parent_id=CAMPAIGN)
    assert job.cancelled()
    with pytest.raises(exceptions.JobCancelled):
        job.check_active()
    assert set(store.asked_about) == {CAMPAIGN}


def test_a_lost_claim_ends_the_wait():
    claim = FakeClaim()
    store = FakeStore(release_after=100)
    job, notes = running_job(store, claim)
    store.release_after = None
    claim.is_held = False
    with pytest.raises(exceptions.ClaimLost):
        job.wait_at_gate('restart', 'restart the health managers')
    # Not cleared: the job's new owner waits at the same gate.
    assert gates(notes) == ['restart']


def test_the_first_change_only_is_noted():
    job, notes = running_job(FakeStore())
    job.note_change('failover_load_balancer', 'lb-1')
    job.note_change('failover_load_balancer', 'lb-2')
    assert len(notes) == 1 and 'lb-1' in str(notes[0])


def test_fields_go_in_the_same_save_as_the_note():
    """A failover's "failing over" phase shares the save that notes the
    change: one write fewer per failover (issue 13)."""
    job, notes = running_job(FakeStore())
    job.note_change('failover', 'lb-1', failover_phase='failing over')
    job.note_change('failover', 'lb-1', failover_phase='failing over')
    job.note_change('failover_load_balancer', 'lb-1')
    assert len(notes) == 2
    assert 'lb-1' in str(notes[0]) and 'failing over' in str(notes[0])
    assert 'acted' not in str(notes[1]) and 'failing over' in str(notes[1])


class FakeConnection:
    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        def call(*args, **kwargs):
            self.calls.append(name)
            return name
        return call


class FakeBackend:
    def __init__(self):
        self.connection = FakeConnection()
        self.conf = {'connection': 'sqlite://'}

    def get_connection(self):
        return self.connection


@pytest.mark.parametrize('write', context.ClaimGuardedBackend.WRITES)
def test_every_write_checks_the_claim_first(write):
    backend, claim = FakeBackend(), FakeClaim()
    connection = context.ClaimGuardedBackend(backend, claim).get_connection()
    assert getattr(connection, write)('detail') == write
    assert claim.checks == 1
    claim.is_held = False
    with pytest.raises(exceptions.ClaimLost):
        getattr(connection, write)('detail')
    assert backend.connection.calls == [write]


def test_reads_go_through_unchecked():
    backend, claim = FakeBackend(), FakeClaim(held=False)
    guarded = context.ClaimGuardedBackend(backend, claim)
    assert guarded.get_connection().get_logbook('book') == 'get_logbook'
    assert guarded.conf == backend.conf
    assert claim.checks == 0


@pytest.mark.parametrize('write', context.ClaimGuardedBackend.WRITES)
def test_each_guarded_write_is_a_taskflow_connection_method(write):
    # A write TaskFlow renamed would go through unguarded.
    assert callable(getattr(persistence_base.Connection, write, None)), write


def test_the_claim_is_checked_after_the_note_right_before_the_change():
    """The note's save may wait for its transaction: a conductor frozen
    past its session meanwhile must not send the change on waking (a
    duplicate failover, seen in CI with SIGSTOP)."""
    claim = FakeClaim()
    job, notes = running_job(FakeStore(), claim)
    job.note_change('failover', 'lb-1', failover_phase='failing over')
    assert claim.checks == 1
    claim.is_held = False
    with pytest.raises(exceptions.ClaimLost):
        job.note_change('failover_load_balancer', 'lb-1')
