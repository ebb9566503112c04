"""``octavia-maint demo``: the whole product in one command, nothing set up.

INTRO: starts the bundled cloud simulator (Keystone, Octavia, Nova and
Glance over real HTTP) with a small fleet on a free loopback port, then
runs rotate-image in local mode exactly as an operator would: upload a
new amphora image, fail over every load balancer with a stale amphora,
throttled, with live progress, and print the outcome per load balancer.
The job's state goes to a temporary SQLite database and the simulator
stops at the end: the operator's own configuration and state are left
alone.

The simulator runs as its own program (``octavia-maint-simulator``, here
through the interpreter running this command), exactly as an operator
would start it: the product never imports the simulator (DESIGN.md
section 2). This process reaches it through ``[cloud]`` options set from
the ``clouds.yaml`` it writes, leaving the environment alone.
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import urllib.request

from cliff import lister
from keystoneauth1 import loading as ks_loading
import yaml

from octavia_maint.cli import constants
from octavia_maint.cli import progress
from octavia_maint.common import constants as common_constants
from octavia_maint.common import exceptions
from octavia_maint.common import image_file
from octavia_maint import conf

# The demo fleet: some ACTIVE_STANDBY pairs, one OVN load balancer (which
# has no amphorae and is skipped), failovers that take a few seconds.
DEMO_FLEET = {'load_balancers': 12, 'active_standby_ratio': 0.34,
              'ovn_ratio': 0.09, 'hosts': 4, 'projects': 3,
              'tenant_vms': 6, 'failover_seconds': 3.0,
              'failover_jitter': 1.0}
DEMO_THROTTLE = 4
# The simulator's program (setup.cfg: octavia-maint-simulator), run by
# this interpreter so it works without the virtualenv on PATH.
SIMULATOR = [sys.executable, '-m', 'octavia_maint.simulator.cmd']
# What it prints once it serves, before the clouds.yaml it writes.
LISTENING = 'Cloud simulator listening on '
WROTE = 'Wrote '
# Seconds the simulator has to stop after SIGTERM.
STOP_TIMEOUT = 10


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
            with _simulator(dict(DEMO_FLEET, load_balancers=load_balancers),
                            tmp) as (url, cloud):
                _use_cloud(cloud, tmp)
                self.app.stderr.write(
                    'Simulated cloud at %s: %d load balancers. Rotating '
                    'their amphora image, %d failovers at a time.\n'
                    % (url, load_balancers, DEMO_THROTTLE))
                job_id = self.app.service.post(
                    common_constants.ROTATE_IMAGE,
                    {'image_file': _fake_image(tmp)})
                view = progress.run_here(self.app, job_id)
                stats = _sim_stats(url)
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


@contextlib.contextmanager
def _simulator(fleet, tmp):
    """Run the simulator program with ``fleet`` until the block ends.

    :returns: ``(url, cloud)``: where it serves, and the ``clouds.yaml``
        entry it wrote into ``tmp``. Its log goes to
        ``tmp/simulator.log``, whose last line says why it did not start.
    """
    clouds = os.path.join(tmp, 'clouds.yaml')
    log_path = os.path.join(tmp, 'simulator.log')
    args = SIMULATOR + ['--write-clouds-yaml', clouds]
    for field, value in fleet.items():
        args += ['--' + field.replace('_', '-'), str(value)]
    with open(log_path, 'wb') as log:
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log,
                                   text=True)
    try:
        url = _wait_until_serving(process, log_path)
        with open(clouds, encoding='utf-8') as f:
            entries = yaml.safe_load(f)['clouds']
        yield url, next(iter(entries.values()))
    finally:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def _wait_until_serving(process, log_path):
    """Read the simulator's output until it wrote its clouds.yaml.

    :returns: its URL.
    :raises ConfigError: it exited first.
    """
    url = None
    for line in process.stdout:
        if line.startswith(LISTENING):
            url = line[len(LISTENING):].strip()
        elif line.startswith(WROTE):
            return url
    with open(log_path, encoding='utf-8', errors='replace') as f:
        lines = f.read().strip().splitlines()
    raise exceptions.ConfigError(
        reason='the cloud simulator did not start: %s' % (
            lines[-1] if lines else 'exit code %s' % process.wait()))


def _use_cloud(cloud, tmp):
    """Point this process at the ``clouds.yaml`` entry ``cloud``, in local
    mode, state in ``tmp``: through ``[cloud]`` keystoneauth1 options, so
    the environment (``OS_CLOUD``, ``OS_CLIENT_CONFIG_FILE``) is left as
    the operator set it."""
    auth_type = cloud['auth_type']
    # keystoneauth1 registers a plugin's options when it first loads it;
    # they are overridden here before that.
    conf.CONF.register_opts(
        ks_loading.get_auth_plugin_conf_options(auth_type), group='cloud')
    overrides = {
        'jobboard': {'backend': 'local'},
        'persistence': {'connection': 'sqlite:///%s'
                        % os.path.join(tmp, 'jobs.sqlite')},
        'cloud': dict(cloud['auth'], auth_type=auth_type, cloud=None,
                      region_name=cloud['region_name'],
                      interface=cloud['interface'],
                      status_poll_interval=0.2),
        'throttle': {'max_concurrent_failovers': DEMO_THROTTLE},
    }
    for group, options in overrides.items():
        for name, value in options.items():
            conf.CONF.set_override(name, value, group)


def _fake_image(tmp):
    path = os.path.join(tmp, 'amphora-x64-haproxy.qcow2')
    with open(path, 'wb') as f:
        f.write(image_file.qcow2_header(2 * 1024 ** 3) + bytes(64 * 1024))
    return path


def _sim_stats(url):
    with urllib.request.urlopen(url + '/_sim/stats', timeout=10) as r:
        return json.load(r)
