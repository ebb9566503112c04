"""Polling a resource until it reaches a status, on a fake clock."""

import testtools

from octavia_maint.cloud import waiters
from octavia_maint.common import exceptions
from tests.unit import fake_clock


class TestWaitForStatus(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.clock = fake_clock.FakeClock()

    def wait(self, statuses, status='ACTIVE', timeout=10, interval=2,
             delay=0.0):
        polls = iter(statuses)

        def fetch():
            current = next(polls)
            if isinstance(current, Exception):
                raise current
            return {'id': 'lb-1', 'provisioning_status': current}

        return waiters.wait_for_status(
            fetch, 'Load balancer', 'lb-1', status, ['ERROR'], timeout,
            interval, attribute='provisioning_status', delay=delay,
            clock=self.clock, sleep=self.clock.sleep)

    def test_returns_at_once_when_already_there(self):
        record = self.wait(['ACTIVE'])
        self.assertEqual('ACTIVE', record['provisioning_status'])
        self.assertEqual([], self.clock.sleeps)

    def test_a_delay_comes_first_and_is_not_part_of_the_timeout(self):
        self.assertRaises(exceptions.CloudTimeout, self.wait,
                          ['PENDING_UPDATE'] * 10, timeout=3, delay=8)
        self.assertEqual([8, 2, 1], self.clock.sleeps)

    def test_polls_until_the_status(self):
        self.wait(['PENDING_UPDATE', 'PENDING_UPDATE', 'ACTIVE'])
        self.assertEqual([2, 2], self.clock.sleeps)

    def test_status_is_compared_without_case(self):
        self.wait(['saving', 'active'], status='active')
        self.wait(['SAVING', 'ACTIVE'], status='active')

    def test_error_while_waiting_for_active(self):
        exc = self.assertRaises(exceptions.ResourceInError, self.wait,
                                ['PENDING_UPDATE', 'ERROR'])
        self.assertEqual({'resource': 'Load balancer', 'id': 'lb-1',
                          'current': 'ERROR', 'status': 'ACTIVE'},
                         exc.kwargs)

    def test_waiting_for_error_is_allowed(self):
        self.wait(['PENDING_UPDATE', 'ERROR'], status='ERROR')

    def test_timeout_says_the_current_status(self):
        exc = self.assertRaises(exceptions.CloudTimeout, self.wait,
                                ['PENDING_UPDATE'] * 10, timeout=5)
        self.assertEqual('PENDING_UPDATE', exc.kwargs['current'])
        self.assertEqual(5, exc.kwargs['timeout'])
        # The last sleep is cut so that the deadline is not overshot.
        self.assertEqual([2, 2, 1], self.clock.sleeps)

    def test_not_found_ends_the_wait(self):
        self.assertRaises(
            exceptions.NotFound, self.wait,
            ['PENDING_UPDATE',
             exceptions.NotFound(resource='Load balancer', id='lb-1')])
