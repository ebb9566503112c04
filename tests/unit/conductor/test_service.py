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


@pytest.mark.parametrize('throttle, per_job, jobs', [
    (1, None, 16), (10, None, 16), (50, None, 17), (100, None, 18),
    (10, 1, 22), (50, 1, 102)])
def test_by_default_one_conductor_can_fill_the_throttle(config, caplog,
                                                        throttle, per_job,
                                                        jobs):
    """Board jobs for two children per slot, a campaign and a spare; no
    more: each is a thread of the conductor for as long as it lives."""
    config.config(group='jobboard', backend='zookeeper')
    config.config(group='throttle', max_concurrent_failovers=throttle)
    config.config(group='jobboard', targets_per_board_job=per_job)
    assert conf.conductor.max_simultaneous_jobs(conf.CONF) == jobs
    with caplog.at_level(logging.WARNING):
        service.warn_if_throttle_out_of_reach(conf.CONF)
    assert not caplog.records


def test_in_local_mode_every_child_is_a_job(config):
    """No board, no batches: one process runs a child per job."""
    config.config(group='jobboard', backend='local')
    config.config(group='throttle', max_concurrent_failovers=50)
    assert conf.conductor.max_simultaneous_jobs(conf.CONF) == 102


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
