"""The campaign's own tasks that need no board or cloud."""

from oslo_utils import timeutils
import pytest

from octavia_maint.tasks import campaign_tasks


def test_the_start_mark_is_a_whole_second_that_has_come():
    before = timeutils.utcnow()
    mark = timeutils.parse_isotime(
        campaign_tasks.MarkChildrenStarted().execute()).replace(tzinfo=None)
    assert mark.microsecond == 0
    assert before < mark <= timeutils.utcnow()


@pytest.mark.parametrize('room, batch_size, waiting, started', [
    (100, 1, 1000, 100), (3, 1, 1000, 3),    # one child per board job
    (100, 7, 1000, 98), (6, 7, 1000, 0),     # whole batches only
    (14, 7, 1000, 14), (10, 7, 3, 3),        # the last batch is smaller
    (2, 7, 3, 0), (5, 7, 0, 0)])
def test_children_start_in_whole_batches(room, batch_size, waiting,
                                         started):
    assert campaign_tasks.startable(room, batch_size, waiting) == started
