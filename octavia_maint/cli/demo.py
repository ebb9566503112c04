"""``octavia-maint demo``: the whole product in one command, nothing set up.

INTRO: starts the bundled cloud simulator (Keystone, Octavia, Nova and
Glance over real HTTP) with a small fleet on a free loopback port, then
runs rotate-image in local mode exactly as an operator would: upload a
new amphora image, fail over every load balancer with a stale amphora,
throttled, with live progress, and print the outcome per load balancer.
The job's state goes to a temporary SQLite database and the simulator
stops at the end: the operator's own configuration and state are left
alone.

The simulator runs as its own program (``cli/simulator_process.py``).
"""

import os
import tempfile

from cliff import lister

from octavia_maint.cli import constants
from octavia_maint.cli import progress
from octavia_maint.cli import simulator_process
from octavia_maint.common import constants as common_constants
from octavia_maint.common import image_file
from octavia_maint import conf

# The demo fleet: some ACTIVE_STANDBY pairs, one OVN load balancer (which
# has no amphorae and is skipped), failovers that take a few seconds.
DEMO_FLEET = {'load_balancers': 12, 'active_standby_ratio': 0.34,
              'ovn_ratio': 0.09, 'hosts': 4, 'projects': 3,
              'tenant_vms': 6, 'failover_seconds': 3.0,
              'failover_jitter': 1.0}
DEMO_THROTTLE = 4


class RunDemo(lister.Lister):
    """Rotate the amphora image of a simulated cloud, start to finish."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--load-balancers', type=int, metavar='<count>',
            default=DEMO_FLEET['load_balancers'],
            help='Load balancers in the simulated fleet.')
        return parser

    def take_action(self, parsed_args):
        load_balancers = parsed_args.load_balancers
        with tempfile.TemporaryDirectory(prefix='octavia-maint-demo-') as tmp:
            fleet = dict(DEMO_FLEET, load_balancers=load_balancers)
            with simulator_process.serve(
                    tmp, simulator_process.fleet_options(fleet)) as (
                    url, cloud):
                _use_cloud(cloud, tmp)
                self.app.stderr.write(
                    'Simulated cloud at %s: %d load balancers. Rotating '
                    'their amphora image, %d failovers at a time.\n'
                    % (url, load_balancers, DEMO_THROTTLE))
                job_id = self.app.service.post(
                    common_constants.ROTATE_IMAGE,
                    {'image_file': _fake_image(tmp)})
                view = progress.run_here(self.app, job_id)
                stats = simulator_process.control(url, 'stats')
                self.app.stderr.write(
                    'The cloud saw %d failovers (at most one per load '
                    'balancer: %s), at most %d at once.\n'
                    % (sum(stats['failovers_by_lb'].values()),
                       max(stats['failovers_by_lb'].values(), default=0)
                       <= 1, stats['peak_concurrent_failovers']))
                # The job's database goes with the directory.
                self.app.close_service()
        return constants.TARGET_COLUMNS, [
            [t[c] for c in constants.TARGET_COLUMNS]
            for t in view['targets']]


def _fake_image(tmp):
    path = os.path.join(tmp, 'amphora-x64-haproxy.qcow2')
    with open(path, 'wb') as f:
        f.write(image_file.qcow2_header(2 * 1024 ** 3) + bytes(64 * 1024))
    return path


def _use_cloud(cloud, tmp):
    """Point this process at the simulator for the rest of its life."""
    overrides = simulator_process.local_mode_overrides(cloud, tmp)
    overrides['cloud']['status_poll_interval'] = 0.2
    overrides['throttle'] = {'max_concurrent_failovers': DEMO_THROTTLE}
    for group, options in overrides.items():
        for name, value in options.items():
            conf.CONF.set_override(name, value, group)
