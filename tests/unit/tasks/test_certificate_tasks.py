"""rotate-certs' scope check before success, by failover and CA modes."""

import pytest

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.tasks import certificate_tasks
from tests.unit.tasks import fakes

STARTED = '2026-06-01T12:00:01'


@pytest.fixture
def cloud():
    fake = fakes.FakeCloud()
    with fakes.in_job(fake):
        yield fake


def amphora_created(cloud, lb_id, created_at):
    for amp in cloud.amphorae.values():
        if amp['loadbalancer_id'] == lb_id:
            amp['created_at'] = created_at


def check(targets=()):
    return certificate_tasks.CheckScopeCertificates().execute(
        None, [], constants.CERTS_BY_FAILOVER, list(targets), {}, STARTED)


def test_an_amphora_made_in_the_second_the_children_started_is_new(cloud):
    # The mark is a whole second, as Octavia's created_at.
    cloud.add_lb('lb-1')
    amphora_created(cloud, 'lb-1', '2026-06-01T12:00:01')
    assert check() is None


def test_an_amphora_made_the_second_before_is_old(cloud):
    cloud.add_lb('lb-1')
    amphora_created(cloud, 'lb-1', '2026-06-01T12:00:00')
    with pytest.raises(exceptions.ScopeNotConverged):
        check()


def test_an_amphora_older_than_the_start_fails_with_its_load_balancer(cloud):
    cloud.add_lb('lb-1')
    amphora_created(cloud, 'lb-1', '2026-06-01T12:00:03')
    cloud.add_lb('lb-late')
    amphora_created(cloud, 'lb-late', '2026-06-01T11:59:59')
    with pytest.raises(exceptions.ScopeNotConverged) as caught:
        check()
    assert 'lb-late' in str(caught.value)
    assert 'lb-1' not in str(caught.value)


def test_a_load_balancer_the_plan_skipped_is_excused(cloud):
    cloud.add_lb('lb-busy')
    assert check([{'id': 'lb-busy', 'action': constants.PLAN_SKIP,
                   'reason': 'busy'}]) is None
