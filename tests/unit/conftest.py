"""The unit tests' configuration: tests/conftest.py's ``config``, with
Octavia's service project set, as the host procedures need it, and a
data-plane check that takes no time in every unit test."""

import pytest

from tests.unit import sample_params


@pytest.fixture(autouse=True)
def config(config):
    """``conf.CONF`` for one test (overrides undone after it), with
    ``[octavia] service_project_id`` set and the data-plane check reading
    at once and giving up after the first read (``[verify]``)."""
    config.config(service_project_id=sample_params.SERVICE_PROJECT,
                  group='octavia')
    config.config(poll_interval=0.01, settle_seconds=0, group='verify')
    return config
