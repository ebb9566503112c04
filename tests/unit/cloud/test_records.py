"""Plain records from real openstacksdk resource objects."""

import json

from openstack.compute.v2 import service as sdk_service
from openstack.image.v2 import image as sdk_image
from openstack.load_balancer.v2 import amphora as sdk_amphora
import testtools

from octavia_maint.cloud import amphorae
from octavia_maint.cloud import compute
from octavia_maint.cloud import images
from octavia_maint.cloud import records


class TestRecords(testtools.TestCase):

    def test_amphora_record_is_json_able_with_declared_keys(self):
        amp = sdk_amphora.Amphora.existing(
            id='amp-1', loadbalancer_id='lb-1', compute_id='vm-1',
            status='ALLOCATED', role='MASTER', image_id='img-1',
            cert_busy=False, cert_expiration='2030-01-01T00:00:00',
            vrrp_ip='10.0.0.5')
        record = records.to_record(amp, amphorae.FIELDS)
        self.assertEqual(list(amphorae.FIELDS), list(record))
        self.assertEqual('lb-1', record['loadbalancer_id'])
        self.assertIs(False, record['cert_busy'])
        self.assertIsNone(record['compute_flavor'])
        self.assertEqual(record, json.loads(json.dumps(record)))

    def test_renamed_attribute(self):
        service = sdk_service.Service.existing(
            id='svc-1', binary='nova-compute', host='cmp-1', zone='az1',
            status='enabled', state='up')
        record = records.to_record(service, compute.SERVICE_FIELDS)
        self.assertEqual('az1', record['zone'])
        self.assertNotIn('availability_zone', record)

    def test_records_do_not_share_mutable_values(self):
        image = sdk_image.Image.existing(id='img-1', tags=['amphora'])
        first, second = records.to_records([image, image], images.FIELDS)
        first['tags'].append('changed')
        self.assertEqual(['amphora'], second['tags'])
        self.assertEqual(['amphora'], image.tags)
