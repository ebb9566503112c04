"""A 500-LB fleet, snapshotted and served again, gives the same report.

INTRO: a simulator with 500 load balancers (pairs, ovn, ERROR, orphan
amphora VMs) plays the cloud; ``fleet snapshot`` (report/snapshot.py)
reads it into a fleet file, which a second simulator serves as
``octavia-maint-simulator --fleet FILE`` would. Prints the time to
snapshot, the file's size, and whether ``fleet report`` of both is the
same (at one instant), then the same for an anonymized snapshot (its
counts only: its ids are new). tests/functional/report/test_snapshot.py
proves the same on 50 load balancers.

Run: ``python3 tools/bench/snapshot.py [--lbs 500]``.
"""

import argparse
import os
import tempfile
import time

from oslo_utils import timeutils
import yaml

from octavia_maint.cloud import facade
from octavia_maint import conf
from octavia_maint.report import fleet as fleet_report
from octavia_maint.report import snapshot
from octavia_maint.simulator import cmd
from octavia_maint.simulator import fleet
from octavia_maint.simulator import server

COUNTS = ('load_balancers', 'load_balancers_by_status', 'amphorae',
          'stale_amphorae', 'failovers')


def cloud_of(sim, tmp, name):
    clouds = os.path.join(tmp, name + '.yaml')
    with open(clouds, 'w', encoding='utf-8') as out:
        yaml.safe_dump(sim.clouds_yaml(), out)
    os.environ['OS_CLIENT_CONFIG_FILE'] = clouds
    return facade.Cloud.from_conf(conf.CONF)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--lbs', type=int, default=500)
    args = parser.parse_args()
    conf.CONF([], project='octavia-maint', default_config_files=[])
    conf.CONF.set_override('cloud', server.CLOUD_NAME, 'cloud')
    spec = fleet.FleetSpec(load_balancers=args.lbs, active_standby_ratio=0.3,
                           ovn_ratio=0.05, error_lbs=5, hosts=20,
                           orphan_amphora_vms=5)
    now = timeutils.utcnow()
    with tempfile.TemporaryDirectory() as tmp, server.Simulator(spec) as sim:
        cloud = cloud_of(sim, tmp, 'original')
        original = fleet_report.build(cloud, image_tag='amphora', now=now)
        for anonymize in (False, True):
            started = time.monotonic()
            fleet_file = snapshot.build(cloud, image_tag='amphora',
                                        anonymize=anonymize)
            taken = time.monotonic() - started
            path = os.path.join(tmp, 'fleet-%s.yaml' % anonymize)
            with open(path, 'w', encoding='utf-8') as out:
                yaml.safe_dump(fleet_file, out)
            served_spec = cmd.fleet_spec(
                cmd.build_parser().parse_args(['--fleet', path]))
            with server.Simulator(served_spec) as served:
                again = fleet_report.build(
                    cloud_of(served, tmp, 'served'), image_tag='amphora',
                    now=now)
            same = (all(again[k] == original[k] for k in COUNTS)
                    if anonymize else again == original)
            print('anonymized %-5s  snapshot %.1f s, %d kB, same report: %s'
                  % (anonymize, taken, os.path.getsize(path) // 1024, same))


if __name__ == '__main__':
    main()
