"""The hand-written cloud fakes speak the facade's language.

Every public method of a fake either exists on
:class:`octavia_maint.cloud.facade.Cloud` with the same parameters (so a
task tested against the fake calls the real facade the same way), or is
one of the fake's own test helpers listed here. A facade method renamed
or given another parameter fails this test, not a conductor.
"""

import inspect

import pytest

from octavia_maint.cloud import facade
from tests.unit.tasks import fakes
from tests.unit.tasks import host_fakes
from tests.unit.tasks import test_heartbeat_tasks

FAKES = (fakes.FakeCloud, fakes.FakeCloudWithImages,
         host_fakes.FakeHostCloud, test_heartbeat_tasks.FakeHealthCloud)
# What the fakes offer tests to set the cloud up; not facade calls.
HELPERS = {'add_lb', 'complete_failover', 'delete_lb', 'add_image',
           'add_host', 'add_server', 'add_lb_on_hosts', 'amphorae_on'}


def _parameters(function):
    return [(p.name, p.kind) for p in
            inspect.signature(function).parameters.values()][1:]


def _methods(fake):
    return sorted(name for name, _ in inspect.getmembers(
        fake, inspect.isfunction) if not name.startswith('_'))


@pytest.mark.parametrize('fake', FAKES, ids=lambda f: f.__name__)
def test_every_fake_method_is_the_facades(fake):
    for name in _methods(fake):
        if name in HELPERS:
            continue
        real = getattr(facade.Cloud, name, None)
        assert real is not None, '%s.%s is not a facade method' % (
            fake.__name__, name)
        assert _parameters(getattr(fake, name)) == _parameters(real), (
            '%s.%s%s differs from Cloud.%s%s' % (
                fake.__name__, name, inspect.signature(getattr(fake, name)),
                name, inspect.signature(real)))


def test_helpers_are_not_facade_methods():
    assert not {h for h in HELPERS if hasattr(facade.Cloud, h)}


def test_fake_status_tree_follows_bad_images():
    cloud = fakes.FakeCloud(image_id='img-bad', bad_images={'img-bad'})
    cloud.add_lb('lb-1')

    def statuses():
        tree = cloud.get_load_balancer_status_tree('lb-1')
        (listener,) = tree['listeners']
        (pool,) = listener['pools']
        return {listener['operating_status'], pool['operating_status'],
                pool['health_monitor']['operating_status']} | {
            m['operating_status'] for m in pool['members']}

    assert statuses() == {'ONLINE'}
    cloud.failover_load_balancer('lb-1')
    cloud.wait_for_load_balancer('lb-1')
    assert statuses() == {'ERROR'}
    cloud.image_id = 'img-good'
    cloud.failover_load_balancer('lb-1')
    cloud.wait_for_load_balancer('lb-1')
    assert statuses() == {'ONLINE'}
