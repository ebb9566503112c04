"""Translation of SDK/keystoneauth1 errors, and their retry judgement."""

from keystoneauth1 import exceptions as ksa_exc
from openstack import exceptions as sdk_exc
import testtools

from octavia_maint.cloud import errors
from octavia_maint.common import exceptions
from tests.unit.cloud import sdk_errors

SECRET = 's3cr3t-token-gAAAA'


class TestTranslate(testtools.TestCase):

    def translate(self, exc, resource_id='lb-1'):
        return errors.translate(exc, 'Load balancer', resource_id)

    def test_404_is_not_found(self):
        ours = self.translate(sdk_errors.http_error(404))
        self.assertIsInstance(ours, exceptions.NotFound)
        self.assertEqual('Load balancer lb-1 was not found in the cloud.',
                         str(ours))

    def test_404_on_a_listing_means_a_wrong_endpoint(self):
        ours = self.translate(sdk_errors.http_error(404), resource_id=None)
        self.assertIsInstance(ours, exceptions.CloudUnavailable)

    def test_409_carries_octavias_faultstring(self):
        fault = ('Invalid state PENDING_UPDATE of loadbalancer resource '
                 'lb-1')
        ours = self.translate(sdk_errors.http_error(409, fault))
        self.assertIsInstance(ours, exceptions.Conflict)
        self.assertEqual({'resource': 'Load balancer', 'id': 'lb-1',
                          'reason': fault}, ours.kwargs)

    def test_400_is_bad_request(self):
        ours = self.translate(sdk_errors.http_error(400, 'bad filter x'))
        self.assertIsInstance(ours, exceptions.BadRequest)
        self.assertIn('bad filter x', str(ours))

    def test_unknown_filter_refused_by_the_sdk_is_bad_request(self):
        ours = self.translate(sdk_exc.InvalidResourceQuery(
            'Invalid query params: colour'))
        self.assertIsInstance(ours, exceptions.BadRequest)

    def test_401_and_403_are_authentication_failures(self):
        for status in (401, 403):
            ours = self.translate(sdk_errors.http_error(status))
            self.assertIsInstance(ours, exceptions.AuthenticationFailed)

    def test_keystone_rejection_is_authentication_failure(self):
        for exc in (ksa_exc.Unauthorized(http_status=401),
                    ksa_exc.AuthorizationFailure('no token'),
                    ksa_exc.MissingRequiredOptions([])):
            ours = self.translate(exc)
            self.assertIsInstance(ours, exceptions.AuthenticationFailed)

    def test_5xx_is_unavailable(self):
        for status in (500, 502, 503, 504):
            ours = self.translate(sdk_errors.http_error(status))
            self.assertIsInstance(ours, exceptions.CloudUnavailable)
            self.assertIn('HTTP %s' % status, str(ours))

    def test_503_of_a_get_names_the_api_and_status_not_a_missing_lb(self):
        # openstacksdk words every failed get_load_balancer this way.
        sdk = sdk_errors.http_error(
            503, 'The server is currently unavailable.', method='GET',
            error_message='No LoadBalancer found for lb-1')
        self.assertIn('No LoadBalancer found', str(sdk))
        ours = errors.translate(sdk, 'Load balancer', 'lb-1',
                                api='load-balancer (Octavia)')
        self.assertIsInstance(ours, exceptions.ServiceUnavailable)
        self.assertIsInstance(ours, exceptions.CloudUnavailable)
        self.assertEqual(
            'The load-balancer (Octavia) API answered HTTP 503 Service '
            'Unavailable to GET %s: The server is currently unavailable. '
            "Check the service's health." % sdk_errors.URL, str(ours))
        described = errors.describe(sdk)
        self.assertEqual('HTTP 503 Service Unavailable to GET %s: The '
                         'server is currently unavailable.' % sdk_errors.URL,
                         described)
        for text in (str(ours), described):
            self.assertNotIn('not found', text.lower())
            self.assertNotIn('No LoadBalancer', text)

    def test_5xx_without_api_falls_back_to_the_resource(self):
        ours = self.translate(sdk_errors.http_error(502))
        self.assertIn('The Load balancer API answered HTTP 502 Bad Gateway',
                      str(ours))

    def test_429_is_unavailable_too(self):
        ours = self.translate(sdk_errors.http_error(429))
        self.assertIsInstance(ours, exceptions.ServiceUnavailable)
        self.assertIn('HTTP 429 Too Many Requests', str(ours))

    def test_describe_other_errors(self):
        self.assertEqual('ConnectFailure: ' + str(
            sdk_errors.refused_connection()),
            errors.describe(sdk_errors.refused_connection()))

    def test_connection_problems_are_unavailable(self):
        for exc in (sdk_errors.refused_connection(),
                    sdk_errors.read_timeout(),
                    ksa_exc.SSLError('certificate verify failed'),
                    ksa_exc.EndpointNotFound('no load-balancer'),
                    sdk_exc.EndpointNotFound('no endpoint'),
                    ksa_exc.ServiceUnavailable(http_status=503)):
            ours = self.translate(exc)
            self.assertIsInstance(ours, exceptions.CloudUnavailable)

    def test_image_upload_wrapper_is_looked_through(self):
        exc = sdk_errors.wrapped_by_image_upload(
            sdk_errors.refused_connection())
        self.assertIsInstance(self.translate(exc),
                              exceptions.CloudUnavailable)

    def test_other_sdk_errors_are_cloud_errors(self):
        ours = self.translate(sdk_errors.http_error(412))
        self.assertIs(exceptions.CloudError, type(ours))

    def test_bugs_are_not_translated(self):
        self.assertIsNone(self.translate(KeyError('x')))

    def test_context_manager_chains_the_original(self):
        original = sdk_errors.http_error(404)

        def fail():
            with errors.translated('Amphora', 'amp-1'):
                raise original

        exc = self.assertRaises(exceptions.NotFound, fail)
        self.assertIs(original, exc.__cause__)

    def test_context_manager_lets_bugs_and_our_errors_through(self):
        for raised in (KeyError('x'), exceptions.InvalidInput(reason='x')):
            def fail():
                with errors.translated('Amphora', 'amp-1'):
                    raise raised
            self.assertIs(raised, self.assertRaises(type(raised), fail))

    def test_messages_hold_no_token(self):
        for status in (400, 401, 404, 409, 412, 500):
            exc = sdk_errors.http_error(status, 'database is down',
                                        token=SECRET)
            self.assertIn(SECRET, exc.request.headers['X-Auth-Token'])
            self.assertNotIn(SECRET, str(self.translate(exc)))


class TestRetryJudgement(testtools.TestCase):

    def test_transient_errors(self):
        for exc in (sdk_errors.http_error(500), sdk_errors.http_error(502),
                    sdk_errors.http_error(503), sdk_errors.http_error(429),
                    sdk_errors.refused_connection(),
                    sdk_errors.dropped_connection(),
                    sdk_errors.read_timeout(),
                    ksa_exc.ServiceUnavailable(http_status=503)):
            self.assertTrue(errors.is_transient(exc), exc)

    def test_lasting_errors(self):
        for exc in (sdk_errors.http_error(400), sdk_errors.http_error(401),
                    sdk_errors.http_error(404), sdk_errors.http_error(409),
                    ksa_exc.SSLError('certificate verify failed'),
                    ksa_exc.Unauthorized(http_status=401),
                    sdk_exc.InvalidResourceQuery('x'), KeyError('x')):
            self.assertFalse(errors.is_transient(exc), exc)

    def test_surely_not_applied(self):
        for exc in (sdk_errors.http_error(503), sdk_errors.http_error(429),
                    sdk_errors.refused_connection(),
                    sdk_errors.wrapped_by_image_upload(
                        sdk_errors.refused_connection()),
                    ksa_exc.ServiceUnavailable(http_status=503)):
            self.assertTrue(errors.was_surely_not_applied(exc), exc)

    def test_maybe_applied(self):
        # The server may have acted before failing or hanging up.
        for exc in (sdk_errors.http_error(500), sdk_errors.http_error(502),
                    sdk_errors.http_error(504),
                    sdk_errors.dropped_connection(),
                    sdk_errors.read_timeout(), sdk_errors.http_error(409)):
            self.assertFalse(errors.was_surely_not_applied(exc), exc)
