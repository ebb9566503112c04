"""What the conductor says at start about its configuration."""

import logging

import pytest

from octavia_maint.conductor import service
from octavia_maint import conf


@pytest.mark.parametrize('jobs, throttle, per_job, warned, conductors', [
    (16, 10, 1, False, None), (16, 15, 1, False, None), (16, 16, 1, True, 2),
    (16, 50, 1, True, 4), (64, 50, 1, False, None),
    # Board jobs of several targets each (issue 13).
    (16, 50, 7, False, None), (4, 50, 7, True, 3)])
def test_a_throttle_one_conductor_cannot_fill_is_said_at_start(
        config, caplog, jobs, throttle, per_job, warned, conductors):
    config.config(group='conductor', max_simultaneous_jobs=jobs)
    config.config(group='throttle', max_concurrent_failovers=throttle)
    config.config(group='jobboard', targets_per_board_job=per_job)
    with caplog.at_level(logging.WARNING):
        service.warn_if_throttle_out_of_reach(conf.CONF)
    assert bool(caplog.records) == warned
    if warned:
        assert ('run at least %d conductors' % conductors
                in caplog.records[0].getMessage())


@pytest.mark.parametrize('throttle, jobs', [(1, 16), (10, 22), (50, 102)])
def test_by_default_one_conductor_can_fill_the_throttle(config, caplog,
                                                        throttle, jobs):
    config.config(group='throttle', max_concurrent_failovers=throttle)
    assert conf.conductor.max_simultaneous_jobs(conf.CONF) == jobs
    with caplog.at_level(logging.WARNING):
        service.warn_if_throttle_out_of_reach(conf.CONF)
    assert not caplog.records


@pytest.mark.parametrize('throttle, configured, per_job', [
    (1, None, 1), (8, None, 1), (9, None, 2), (50, None, 7),
    (500, None, 16), (50, 3, 3)])
def test_targets_per_board_job_follow_the_throttle(config, throttle,
                                                   configured, per_job):
    """An eighth of the throttle's slots, at most 16, unless configured:
    a small throttle keeps one target per board job (issue 13)."""
    config.config(group='throttle', max_concurrent_failovers=throttle)
    config.config(group='jobboard', targets_per_board_job=configured)
    assert conf.jobboard.targets_per_board_job(conf.CONF) == per_job
