"""What the conductor says at start about its configuration."""

import logging

import pytest

from octavia_maint.conductor import service
from octavia_maint import conf


@pytest.mark.parametrize('jobs, throttle, warned, conductors', [
    (16, 10, False, None), (16, 15, False, None), (16, 16, True, 2),
    (16, 50, True, 4), (64, 50, False, None)])
def test_a_throttle_one_conductor_cannot_fill_is_said_at_start(
        config, caplog, jobs, throttle, warned, conductors):
    config.config(group='conductor', max_simultaneous_jobs=jobs)
    config.config(group='throttle', max_concurrent_failovers=throttle)
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
