"""Preflight checks: each refuses what the cloud does not know, in one
line, and only reads."""

from unittest import mock

import pytest

from octavia_maint.common import exceptions
from octavia_maint.tasks import preflight_tasks as pt
from tests.unit.tasks import fakes

LB = '6b2c4f0e-1d1c-4b8e-9a61-2f1f3c1f1a01'


@pytest.fixture
def cloud():
    fake = mock.Mock()
    with fakes.in_job(fake):
        yield fake


def test_a_project_name_is_refused_naming_its_id(cloud):
    cloud.get_project.side_effect = exceptions.NotFound(resource='project',
                                                        id='web')
    cloud.list_projects.return_value = [{'id': 'p-1'}]
    with pytest.raises(exceptions.InvalidInput,
                       match="'web' is the name of project p-1"):
        pt.CheckScopeExists(name='t').execute('web', [])


def test_an_unknown_load_balancer_is_refused(cloud):
    cloud.get_load_balancer.side_effect = exceptions.NotFound(
        resource='load balancer', id=LB)
    with pytest.raises(exceptions.InvalidInput, match='does not exist'):
        pt.CheckScopeExists(name='t').execute(None, [LB])
    cloud.get_project.assert_not_called()


def test_a_known_scope_passes_and_sends_no_change(cloud):
    pt.CheckScopeExists(name='t').execute('p-1', [LB])
    assert [c[0] for c in cloud.method_calls] == [
        'get_project', 'get_load_balancer']


def test_a_host_without_compute_service_is_refused(cloud):
    cloud.list_compute_services.return_value = []
    with pytest.raises(exceptions.InvalidInput, match='no nova-compute'):
        pt.CheckComputeHostKnown(name='t').execute('compute-9')
