"""The unit tests' configuration: tests/conftest.py's ``config``, with
Octavia's service project set, as the host procedures need it."""

import pytest

from tests.unit import sample_params


@pytest.fixture
def config(config):
    """``conf.CONF`` for one test (overrides undone after it), with
    ``[octavia] service_project_id`` set."""
    config.config(service_project_id=sample_params.SERVICE_PROJECT,
                  group='octavia')
    return config
