"""What a process learns of how long failovers take, and who shares it."""

import pytest

from octavia_maint.runtime import context
from octavia_maint.runtime import durations


@pytest.mark.parametrize('seen, quiet, interval', [
    ([], 0.0, 2.0),                 # nothing learnt yet: look at once
    ([10.0], 9.5, 2.0),             # the configured interval is longer
    ([30.0, 10.0, 20.0], 9.5, 2.0),  # the shortest one counts
    ([1.0] + [60.0] * 20, 57.0, 3.0),  # only the last SAMPLES count
])
def test_quiet_period_and_poll_interval(seen, quiet, interval):
    learnt = durations.FailoverDurations()
    for seconds in seen:
        learnt.record(seconds)
    assert learnt.quiet_period() == pytest.approx(quiet)
    assert learnt.poll_interval(2.0) == pytest.approx(interval)


def test_each_job_context_learns_apart_unless_given_one():
    shared = durations.FailoverDurations()
    one = context.JobContext(failover_durations=shared)
    other = context.JobContext(failover_durations=shared)
    assert one.failover_durations is other.failover_durations
    alone = context.JobContext()
    assert alone.failover_durations is not shared
