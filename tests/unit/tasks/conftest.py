"""Fixtures of the task unit tests: configuration and a host-aware cloud."""

from oslo_config import fixture as config_fixture
import pytest

from octavia_maint import conf
from octavia_maint.runtime import context
from tests.unit.tasks import host_fakes


@pytest.fixture
def config():
    fixture = config_fixture.Config(conf.CONF)
    fixture.setUp()
    fixture.config(service_project_id=host_fakes.SERVICE_PROJECT,
                   group='octavia')
    yield fixture
    fixture.cleanUp()


@pytest.fixture
def host_cloud(config):
    fake = host_fakes.FakeHostCloud()
    with context.activate(context.JobContext(job_id='job-1', cloud=fake)):
        yield fake
