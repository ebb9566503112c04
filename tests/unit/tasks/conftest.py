"""Fixtures of the task unit tests: configuration and a host-aware cloud."""

import pytest

from octavia_maint.runtime import context
from tests.unit.tasks import host_fakes


@pytest.fixture
def config(config):
    config.config(service_project_id=host_fakes.SERVICE_PROJECT,
                  group='octavia')
    return config


@pytest.fixture
def host_cloud(config):
    fake = host_fakes.FakeHostCloud()
    with context.activate(context.JobContext(job_id='job-1', cloud=fake)):
        yield fake
