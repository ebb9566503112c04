"""The fleet report's rows an operator must look at, from a fake cloud."""

from octavia_maint.common import constants
from octavia_maint.report import fleet
from tests.unit.tasks import fakes


def test_amphora_load_balancers_without_amphorae_are_listed():
    cloud = fakes.FakeCloud()
    cloud.add_lb('lb-ok')
    cloud.add_lb('lb-empty', amps=0)
    cloud.add_lb('lb-ovn', amps=0, provider='ovn')     # has none by design
    cloud.add_lb('lb-new', amps=0, status='PENDING_CREATE')   # booting them
    cloud.add_lb('lb-gone')
    for amphora in cloud.amphorae.values():
        if amphora['loadbalancer_id'] == 'lb-gone':
            amphora['status'] = constants.DELETED   # Octavia lists these

    report = fleet.build(cloud, image_tag='amphora')

    assert sorted(r['id'] for r in report['load_balancers_without_amphorae']
                  ) == ['lb-empty', 'lb-gone']
