"""The campaign's own tasks that need no board or cloud."""

from oslo_utils import timeutils

from octavia_maint.tasks import campaign_tasks


def test_the_start_mark_is_a_whole_second_that_has_come():
    before = timeutils.utcnow()
    mark = timeutils.parse_isotime(
        campaign_tasks.MarkChildrenStarted().execute()).replace(tzinfo=None)
    assert mark.microsecond == 0
    assert before < mark <= timeutils.utcnow()
