"""The retry policy and the api_call decorator, with fake callables."""

import testtools

from octavia_maint.cloud import retry
from octavia_maint.common import exceptions
from tests.unit.cloud import sdk_errors


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

    def test_listing_without_id(self):
        resource = FakeResource(sdk_errors.http_error(400, 'unknown x'))
        self.assertRaises(exceptions.BadRequest, resource.list_amphorae,
                          colour='red')
