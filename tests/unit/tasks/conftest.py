"""Fixtures of the task unit tests: a host-aware cloud (the configuration
fixture is tests/unit/conftest.py's)."""

import pytest

from octavia_maint.runtime import context
from tests.unit.tasks import host_fakes


@pytest.fixture
def host_cloud(config):
    fake = host_fakes.FakeHostCloud()
    with context.activate(context.JobContext(job_id='job-1', cloud=fake)):
        yield fake
