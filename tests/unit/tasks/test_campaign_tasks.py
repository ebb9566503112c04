"""The campaign's own tasks that need no board or cloud."""

from oslo_utils import timeutils
import pytest

from octavia_maint.flows import registry
from octavia_maint.runtime import durations
from octavia_maint.tasks import campaign_tasks


def test_the_start_mark_is_a_whole_second_that_has_come():
    before = timeutils.utcnow()
    mark = timeutils.parse_isotime(campaign_tasks.MarkChildrenStarted(
        whole_second=True).execute()).replace(tzinfo=None)
    assert mark.microsecond == 0
    assert before < mark <= timeutils.utcnow()


def test_the_start_mark_is_now_unless_a_whole_second_is_needed(monkeypatch):
    """Only a scope check comparing Octavia's created_at (to the second)
    needs the wait; for the others it only delayed the first failover
    (issue 13)."""
    monkeypatch.setattr(campaign_tasks.time, 'sleep', pytest.fail)
    before = timeutils.utcnow()
    mark = timeutils.parse_isotime(
        campaign_tasks.MarkChildrenStarted().execute()).replace(tzinfo=None)
    assert before <= mark <= timeutils.utcnow()


@pytest.mark.parametrize('procedure, whole_second', [
    ('rotate-certs', True), ('rotate-image', False),
    ('evacuate-host', False)])
def test_procedures_whose_scope_check_reads_creation_times_wait(
        procedure, whole_second):
    assert registry.get(procedure).compares_creation_times == whole_second


@pytest.mark.parametrize('room, batch_size, waiting, started', [
    (100, 1, 1000, 100), (3, 1, 1000, 3),    # one child per board job
    (100, 7, 1000, 98), (6, 7, 1000, 0),     # whole batches only
    (14, 7, 1000, 14), (10, 7, 3, 3),        # the last batch is smaller
    (2, 7, 3, 0), (5, 7, 0, 0)])
def test_children_start_in_whole_batches(room, batch_size, waiting,
                                         started):
    assert campaign_tasks.startable(room, batch_size, waiting) == started


@pytest.mark.parametrize('seen, configured, interval', [
    ([], 5.0, 0.5),          # production polls: twice a second
    ([], 0.1, 0.1),          # nothing learnt: as often as the cloud polls
    ([2.0], 0.1, 0.5),       # 2 s failovers: a quarter of one, at most 0.5
    ([0.1], 0.02, 0.025),    # a rehearsal's sped-up clock
])
def test_children_are_looked_at_a_few_times_per_failover(seen, configured,
                                                         interval):
    """Every look reads the state of every child in flight; the window
    keeps two per slot, so a few looks per failover find one waiting for
    every slot that frees (issue 13)."""
    learnt = durations.FailoverDurations()
    for seconds in seen:
        learnt.record(seconds)
    assert campaign_tasks.look_interval(learnt, configured) == (
        pytest.approx(interval))
