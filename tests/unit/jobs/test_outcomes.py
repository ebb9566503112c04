"""A finished child's outcome: failed, or not attempted (issue 10)."""

from taskflow.persistence import models
from taskflow import states
from taskflow.types import failure as tf_failure
import testtools

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.jobs import outcomes

CHILD = '1b8f3f0e-5d0c-4c57-8a2e-6f1d2a3b4c5d'
UNAVAILABLE = exceptions.ServiceUnavailable(
    api='load-balancer (Octavia)', status='503 Service Unavailable',
    request='GET http://octavia/v2.0/lbaas/loadbalancers/lb-1',
    details='The server is currently unavailable.')


def failed_flow(error, **meta):
    """A finished child's flow detail with its failed atom."""
    fd = models.FlowDetail('child', CHILD)
    fd.meta = meta
    atom = models.TaskDetail('snapshot', CHILD + '-snapshot')
    atom.state = states.REVERTED
    try:
        raise error
    except Exception:
        atom.failure = tf_failure.Failure()
    fd.add(atom)
    return fd


def outcome(error, **meta):
    return outcomes.outcome_of(failed_flow(error, **meta), states.REVERTED,
                               'verify')


class TestChildOutcome(testtools.TestCase):

    def test_unavailable_cloud_before_acting_is_not_attempted(self):
        for error in (UNAVAILABLE,
                      exceptions.CloudUnavailable(reason='refused')):
            result = outcome(error)
            self.assertEqual(constants.OUTCOME_NOT_ATTEMPTED,
                             result['outcome'])
            self.assertEqual(str(error), result['reason'])

    def test_unavailable_cloud_after_acting_is_failed(self):
        result = outcome(UNAVAILABLE, **{outcomes.ACTED: {
            'call': 'failover_load_balancer', 'id': 'lb-1'}})
        self.assertEqual(constants.OUTCOME_FAILED, result['outcome'])
        self.assertIn('HTTP 503', result['reason'])

    def test_other_failures_stay_failed(self):
        for error in (exceptions.FailoverFailed(lb_id='lb-1', reason='x'),
                      exceptions.NotFound(resource='Load balancer',
                                          id='lb-1'),
                      exceptions.AuthenticationFailed(reason='401')):
            self.assertEqual(constants.OUTCOME_FAILED,
                             outcome(error)['outcome'], error)
