"""How well a rehearsal predicts the real run, and how fast it is.

INTRO: a 300-LB simulator plays the real cloud (failovers of 20 s, time
not sped up). ``octavia-maint job post rotate-image --image-file F
--rehearse`` runs first (target: under 60 s wall, and nothing changed in
the "real" cloud: its audit log stays empty), then the real run of the
same command in local mode. Prints the predicted and actual durations
and the error. Target: within 20 %.

Things to note: both runs are ``octavia-maint`` subprocesses with one
configuration file; the actual duration is the real job's own (posted to
last change, ``job show``), as the rehearsal's expected duration counts
from the post too. The real run takes about ceil(N/k) * T = 10 rounds of
20 s, plus the tool's work.

Measured here (2 cores, quiet machine, 2026-12-03, time scale 100):
the rehearsal took 38.3 s wall and changed nothing; predicted 204 s,
actual 216 s (-5.6 %). One local process now runs 2 x throttle + 2
children by default ([conductor] max_simultaneous_jobs), so the real run
holds the throttle's 30 failovers at a time; the rehearsal says peak 30.

Run: ``python3 tools/bench/rehearsal.py [--lbs 300] [--throttle 30]``.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time

import yaml

from octavia_maint.common import image_file
from octavia_maint.simulator import fleet
from octavia_maint.simulator import server


def octavia_maint(args, config, env):
    result = subprocess.run(
        [sys.executable, '-c',
         'import sys; from octavia_maint.cli import app; '
         'sys.exit(app.main())', '--config-file', config] + args,
        capture_output=True, text=True, env=env, timeout=3600)
    if result.returncode != 0:
        sys.exit('octavia-maint %s failed: %s' % (' '.join(args),
                                                  result.stderr))
    return json.loads(result.stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--lbs', type=int, default=300)
    parser.add_argument('--throttle', type=int, default=30)
    parser.add_argument('--failover-seconds', type=float, default=20.0)
    parser.add_argument('--time-scale', type=float, default=100.0,
                        help='[rehearsal] time_scale')
    args = parser.parse_args()
    spec = fleet.FleetSpec(load_balancers=args.lbs, active_standby_ratio=0.3,
                           ovn_ratio=0.02, error_lbs=3, hosts=20,
                           failover_seconds=args.failover_seconds)
    with tempfile.TemporaryDirectory() as tmp, server.Simulator(spec) as sim:
        clouds = os.path.join(tmp, 'clouds.yaml')
        with open(clouds, 'w', encoding='utf-8') as out:
            yaml.safe_dump(sim.clouds_yaml(), out)
        config = os.path.join(tmp, 'octavia-maint.conf')
        with open(config, 'w', encoding='utf-8') as out:
            out.write('[persistence]\nconnection = sqlite:///%s/jobs.sqlite\n'
                      '[cloud]\ncloud = %s\n'
                      '[throttle]\nmax_concurrent_failovers = %d\n'
                      'expected_failover_seconds = %d\n'
                      '[rehearsal]\ntime_scale = %s\n'
                      % (tmp, server.CLOUD_NAME, args.throttle,
                         args.failover_seconds, args.time_scale))
        image = os.path.join(tmp, 'amphora.qcow2')
        with open(image, 'wb') as out:
            out.write(image_file.qcow2_header(2 * 1024 ** 3)
                      + os.urandom(4096))
        env = dict(os.environ, OS_CLIENT_CONFIG_FILE=clouds, HOME=tmp)
        post = ['job', 'post', 'rotate-image', '--image-file', image,
                '-f', 'json']

        started = time.monotonic()
        shown = octavia_maint(post + ['--rehearse'], config, env)
        rehearsal_wall = time.monotonic() - started
        changes = len(sim.cloud.audit.entries())

        job = octavia_maint(post, config, env)
        job = octavia_maint(['job', 'show', job['id'], '-f', 'json'],
                            config, env)
        actual = (_time(job['updated_at']) - _time(job['posted_at']))
        predicted = shown['expected_seconds']
        print('load balancers          %d' % args.lbs)
        print('throttle                %d' % args.throttle)
        print('failover (simulated)    %.0f s' % args.failover_seconds)
        print('rehearsal time scale    %.0f' % args.time_scale)
        print('rehearsal wall          %.1f s (target < 60)'
              % rehearsal_wall)
        print('rehearsal: state %s, to run %d, skips %s, peak %d '
              '(reached in the rehearsal: %d)'
              % (shown['state'], shown['to_run'], shown['skips'],
                 shown['peak_concurrency'], shown['rehearsal_peak']))
        print('rehearsal warnings      %s' % shown['warnings'])
        print('real cloud changed by the rehearsal: %d calls' % changes)
        print('real run: state %s, counts %s'
              % (job['state'], job['counts']))
        print('predicted duration      %.0f s' % predicted)
        print('actual duration         %.0f s' % actual)
        print('error                   %+.1f %%'
              % (100.0 * (predicted - actual) / actual))


def _time(text):
    return datetime.datetime.fromisoformat(text).timestamp()


if __name__ == '__main__':
    main()
