"""Fixtures of the task unit tests: a host-aware cloud (the configuration
fixture is tests/unit/conftest.py's)."""

import pytest

from tests.unit.tasks import fakes
from tests.unit.tasks import host_fakes


@pytest.fixture
def host_cloud(config):
    fake = host_fakes.FakeHostCloud()
    with fakes.in_job(fake):
        yield fake
