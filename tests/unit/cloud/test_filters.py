"""Listing filters are checked against what openstacksdk would send."""

from openstack import exceptions as sdk_exc
from openstack.compute.v2 import server as sdk_server
from openstack.load_balancer.v2 import amphora as sdk_amphora
import testtools

from octavia_maint.cloud import filters


class TestRequireKnown(testtools.TestCase):

    def test_known_filters_pass(self):
        filters.require_known(sdk_amphora.Amphora,
                              {'loadbalancer_id': 'lb-1', 'role': 'MASTER',
                               'image_id': 'img-1'})
        filters.require_known(sdk_amphora.Amphora, {})

    def test_unknown_filter_is_refused(self):
        exc = self.assertRaises(sdk_exc.InvalidResourceQuery,
                                filters.require_known, sdk_amphora.Amphora,
                                {'role': 'MASTER', 'colour': 'red'})
        self.assertIn('colour', str(exc))

    def test_the_nova_host_trap(self):
        # openstacksdk filters servers by compute_host (sent as host=).
        filters.require_known(sdk_server.Server,
                              {'compute_host': 'cmp-1',
                               'all_projects': True})
