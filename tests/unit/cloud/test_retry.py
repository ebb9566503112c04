"""The retry policy and the api_call decorator, with fake callables."""

import fixtures
from openstack import exceptions as sdk_exc
from oslo_config import cfg
import testtools

from octavia_maint.cloud import retry
from octavia_maint.common import exceptions
from octavia_maint import conf as maint_conf
from tests.unit.cloud import sdk_errors
from tests.unit import fake_clock


class FlakyCall:
    """Raises the given errors in turn, then returns 'done'."""

    def __init__(self, *failures):
        self.failures = list(failures)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return 'done'


class TestRetryPolicy(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.delays = []
        self.policy = retry.RetryPolicy(retries=3, max_delay=2.0,
                                        sleep=self.delays.append)

    def test_transient_errors_are_retried_with_bounded_backoff(self):
        call = FlakyCall(sdk_errors.http_error(502),
                         sdk_errors.dropped_connection(),
                         sdk_errors.http_error(500))
        self.assertEqual('done', self.policy.call(call, 'get'))
        self.assertEqual(4, call.calls)
        self.assertEqual(3, len(self.delays))
        for attempt, delay in enumerate(self.delays):
            self.assertLessEqual(delay, min(2.0, 0.5 * 2 ** (attempt + 1)))
            self.assertGreaterEqual(delay, 0)

    def test_gives_up_after_the_configured_retries(self):
        last = sdk_errors.http_error(503)
        call = FlakyCall(*([sdk_errors.http_error(503)] * 3 + [last]))
        raised = self.assertRaises(type(last), self.policy.call, call, 'get')
        self.assertIs(last, raised)
        self.assertEqual(4, call.calls)

    def test_lasting_errors_are_not_retried(self):
        call = FlakyCall(sdk_errors.http_error(409))
        self.assertRaises(Exception, self.policy.call, call, 'get')
        self.assertEqual(1, call.calls)
        self.assertEqual([], self.delays)

    def test_non_idempotent_call_is_repeated_only_if_surely_not_applied(self):
        call = FlakyCall(sdk_errors.refused_connection(),
                         sdk_errors.http_error(503))
        self.assertEqual('done', self.policy.call(call, 'failover',
                                                  idempotent=False))
        self.assertEqual(3, call.calls)

    def test_non_idempotent_call_is_not_repeated_if_maybe_applied(self):
        for failure in (sdk_errors.http_error(500),
                        sdk_errors.http_error(502),
                        sdk_errors.dropped_connection(),
                        sdk_errors.read_timeout()):
            call = FlakyCall(failure)
            self.assertRaises(Exception, self.policy.call, call, 'failover',
                              idempotent=False)
            self.assertEqual(1, call.calls, failure)

    def test_zero_retries(self):
        policy = retry.RetryPolicy(retries=0, max_delay=1.0,
                                   sleep=self.delays.append)
        call = FlakyCall(sdk_errors.http_error(502))
        self.assertRaises(Exception, policy.call, call, 'get')
        self.assertEqual(1, call.calls)


class TestRetryWindow(testtools.TestCase):

    def policy(self, clock, seconds=30.0, retries=None):
        return retry.RetryPolicy(retries=retries, max_delay=4.0,
                                 seconds=seconds, sleep=clock.sleep,
                                 clock=clock)

    def test_five_503s_in_a_row_are_ridden_out(self):
        clock = fake_clock.FakeClock()
        call = FlakyCall(*[sdk_errors.http_error(503)] * 5)
        self.assertEqual('done', self.policy(clock).call(call, 'get'))
        self.assertEqual(6, call.calls)

    def test_gives_up_before_an_attempt_would_start_past_the_window(self):
        clock = fake_clock.FakeClock()
        call = FlakyCall(*[sdk_errors.http_error(503)] * 1000)
        self.assertRaises(sdk_exc.HttpException,
                          self.policy(clock, seconds=30.0).call, call, 'get')
        self.assertLessEqual(sum(clock.sleeps), 30.0)
        # Backoff is at most 4 s apart, so the window was nearly used up.
        self.assertGreater(sum(clock.sleeps), 30.0 - 4.0)
        self.assertEqual(len(clock.sleeps) + 1, call.calls)

    def test_no_window_means_no_retry(self):
        clock = fake_clock.FakeClock()
        call = FlakyCall(sdk_errors.http_error(503))
        self.assertRaises(sdk_exc.HttpException,
                          self.policy(clock, seconds=0).call, call, 'get')
        self.assertEqual(1, call.calls)

    def test_a_retry_count_bounds_the_window_too(self):
        clock = fake_clock.FakeClock()
        call = FlakyCall(*[sdk_errors.http_error(503)] * 10)
        self.assertRaises(sdk_exc.HttpException,
                          self.policy(clock, retries=2).call, call, 'get')
        self.assertEqual(3, call.calls)

    def test_from_conf(self):
        conf = cfg.ConfigOpts()
        maint_conf.register_opts(conf)
        policy = retry.RetryPolicy.from_conf(conf)
        self.assertEqual((None, 8.0, 120.0),
                         (policy.retries, policy.max_delay, policy.seconds))

    def test_one_retry_warning_per_call_saying_503_not_a_missing_lb(self):
        clock = fake_clock.FakeClock()
        logger = self.useFixture(fixtures.FakeLogger())
        call = FlakyCall(*[sdk_errors.http_error(
            503, 'try later', method='GET',
            error_message='No LoadBalancer found for lb-1')] * 3)
        self.policy(clock).call(call, 'get_load_balancer')
        self.assertIn('get_load_balancer: HTTP 503 Service Unavailable to '
                      'GET', logger.output)
        self.assertEqual(1, logger.output.count('get_load_balancer'))
        self.assertNotIn('No LoadBalancer found', logger.output)


class FakeResource:
    """A facade-shaped class: the decorator's only boundary."""

    def __init__(self, *failures):
        self._retry_policy = retry.RetryPolicy(retries=2, max_delay=0.1,
                                               sleep=lambda delay: None)
        self.call = FlakyCall(*failures)

    @retry.api_call('Amphora', id_arg='amphora_id')
    def get_amphora(self, amphora_id, verbose=False):
        """Docstring kept."""
        return self.call()

    @retry.api_call('Amphora', id_arg='amphora_id', idempotent=False)
    def failover_amphora(self, amphora_id):
        return self.call()

    @retry.api_call('Amphora')
    def list_amphorae(self, **filters):
        return self.call()

    @retry.api_call('Image', id_arg='image_id', changes=True)
    def add_image_tag(self, image_id, tag):
        return self.call()


class TestApiCall(testtools.TestCase):

    def test_retries_then_returns(self):
        resource = FakeResource(sdk_errors.http_error(502))
        self.assertEqual('done', resource.get_amphora('amp-1'))
        self.assertEqual(2, resource.call.calls)
        self.assertEqual('Docstring kept.', FakeResource.get_amphora.__doc__)

    def test_translates_with_the_id_argument(self):
        for args, kwargs in ((('amp-7',), {}), ((), {'amphora_id': 'amp-7'})):
            resource = FakeResource(sdk_errors.http_error(404))
            exc = self.assertRaises(exceptions.NotFound,
                                    resource.get_amphora, *args, **kwargs)
            self.assertEqual({'resource': 'Amphora', 'id': 'amp-7'},
                             exc.kwargs)

    def test_translates_after_the_last_retry(self):
        resource = FakeResource(*[sdk_errors.http_error(500)] * 3)
        self.assertRaises(exceptions.CloudUnavailable,
                          resource.get_amphora, 'amp-1')
        self.assertEqual(3, resource.call.calls)

    def test_conflict_on_failover_is_not_retried(self):
        resource = FakeResource(sdk_errors.http_error(409, 'LB is busy'))
        exc = self.assertRaises(exceptions.Conflict,
                                resource.failover_amphora, 'amp-1')
        self.assertIn('LB is busy', str(exc))
        self.assertEqual(1, resource.call.calls)

    def test_changes_are_announced_before_every_attempt(self):
        heard = []
        resource = FakeResource(sdk_errors.http_error(503))
        with retry.observe_changes(
                lambda call, rid: heard.append((call, rid,
                                                resource.call.calls))):
            resource.failover_amphora('amp-1')
            resource.add_image_tag('img-1', 'amphora')
            resource.get_amphora('amp-2')
            resource.list_amphorae()
        self.assertEqual([('failover_amphora', 'amp-1', 0),
                          ('failover_amphora', 'amp-1', 1),
                          ('add_image_tag', 'img-1', 2)], heard)

    def test_an_observer_that_fails_stops_the_change(self):
        resource = FakeResource()

        def refuse(call, resource_id):
            raise RuntimeError('database down')
        with retry.observe_changes(refuse):
            self.assertRaises(RuntimeError, resource.failover_amphora,
                              'amp-1')
        self.assertEqual(0, resource.call.calls)

    def test_nobody_observes_outside_a_job(self):
        resource = FakeResource()
        self.assertEqual('done', resource.failover_amphora('amp-1'))

    def test_unavailable_api_is_named(self):
        resource = FakeResource(*[sdk_errors.http_error(503)] * 3)
        exc = self.assertRaises(exceptions.ServiceUnavailable,
                                resource.get_amphora, 'amp-1')
        self.assertIn('The Amphora API answered HTTP 503', str(exc))

    def test_listing_without_id(self):
        resource = FakeResource(sdk_errors.http_error(400, 'unknown x'))
        self.assertRaises(exceptions.BadRequest, resource.list_amphorae,
                          colour='red')
