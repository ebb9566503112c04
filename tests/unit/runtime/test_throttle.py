"""The throttle's fence counts the failovers the cloud still runs."""

import threading

from oslo_config import fixture as config_fixture
import pytest

from octavia_maint.common import exceptions
from octavia_maint import conf
from octavia_maint.runtime import throttle
from tests.unit.tasks import fakes


@pytest.fixture
def cloud():
    fixture = config_fixture.Config(conf.CONF)
    fixture.setUp()
    fixture.config(status_poll_interval=0.01, group='cloud')
    fake = fakes.FakeCloud()
    for lb_id in ('lb-1', 'lb-2', 'lb-3'):
        fake.add_lb(lb_id)
    yield fake
    fixture.cleanUp()


def fail_over(gate, cloud, lb_id, check_active=lambda: None):
    with gate.slot() as slot:
        with slot.admit(lb_id, cloud, check_active):
            cloud.failover_load_balancer(lb_id)


def in_thread(target, *args):
    done = threading.Event()

    def run():
        target(*args)
        done.set()
    threading.Thread(target=run, daemon=True).start()
    return done


def test_a_crashed_runs_failover_holds_its_slot_until_it_ends(cloud):
    cloud.failover_load_balancer('lb-1')   # issued, then the process died
    gate = throttle.LocalThrottle(1)
    done = in_thread(fail_over, gate, cloud, 'lb-2')
    assert not done.wait(0.3)
    assert cloud.failovers == ['lb-1']
    cloud.complete_failover('lb-1')
    assert done.wait(5)
    assert cloud.failovers == ['lb-1', 'lb-2']


def test_a_slot_lost_mid_failover_leaves_the_failover_counted(cloud):
    gate = throttle.LocalThrottle(1)
    with pytest.raises(exceptions.ClaimLost):
        with gate.slot() as slot:
            with slot.admit('lb-1', cloud, lambda: None):
                cloud.failover_load_balancer('lb-1')
            raise exceptions.ClaimLost(owner='me', job_id='job-1')
    done = in_thread(fail_over, gate, cloud, 'lb-2')
    assert not done.wait(0.3)
    cloud.complete_failover('lb-1')
    assert done.wait(5)


def test_a_failover_not_issued_takes_no_room(cloud):
    gate = throttle.LocalThrottle(1)
    fail_over(gate, cloud, 'lb-3')
    cloud.complete_failover('lb-3')
    cloud.lbs['lb-1']['provisioning_status'] = 'PENDING_UPDATE'  # not ours
    with pytest.raises(exceptions.Conflict):
        fail_over(gate, cloud, 'lb-1')
    fail_over(gate, cloud, 'lb-2')
    assert cloud.failovers == ['lb-3', 'lb-2']


def test_a_cancel_ends_the_wait_at_the_fence(cloud):
    cloud.failover_load_balancer('lb-1')
    gate = throttle.LocalThrottle(1)
    calls = []

    def check_active():
        calls.append(1)
        if len(calls) > 2:
            raise exceptions.JobCancelled(job_id='job-1')
    with pytest.raises(exceptions.JobCancelled):
        fail_over(gate, cloud, 'lb-2', check_active)
    assert cloud.failovers == ['lb-1']
