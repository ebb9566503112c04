"""Every procedure through the real ``octavia-maint`` CLI.

INTRO: the simulator (time 10 times faster: a 20 s failover takes 2 real
seconds), a private ZooKeeper and two conductors (with ``--local``: no
conductor, the CLI runs each job in its own process, as local mode
does); then, one after the other, each procedure posted with ``octavia-maint
job post``, followed with ``job show -f json`` until it ends, its
gates released with ``job continue`` after playing the operator's part
through the simulator's control API (deploy the heartbeat key, restart
the health managers, restore the timeout). Prints, per procedure, the
job's state, its duration, its per-target counts and what the cloud saw:
failovers (and repeated ones), automatic failovers, configures, server
deletes and host disables. Last, ``fleet report -f json``.

Run: ``python3 tools/bench/cli_tour.py [--local]``.
"""

import argparse
import configparser
import json
import os
import subprocess
import sys
import time
import urllib.request

import pathlib

import cluster

from octavia_maint.common import image_file  # noqa: E402
from tests.fixtures import certificates

SCALE = 10
FLEET = {'load_balancers': 40, 'active_standby_ratio': 0.5, 'hosts': 6,
         'tenant_vms': 20, 'orphan_amphora_vms': 6,
         'orphan_host': 'compute-001', 'failover_seconds': 20,
         'server_delete_seconds': 10, 'time_scale': SCALE,
         'heartbeat_interval': 10, 'cert_interval': 20}
THROTTLE = 10
HEARTBEAT_TIMEOUT = 300
CLI = [sys.executable, '-c', 'from octavia_maint.cli import app; '
       'import sys; sys.exit(app.main(sys.argv[1:]))']


class Tour:
    def __init__(self, c, local):
        self.c = c
        self.local = local
        self.config_file = local_config(c) if local else c.config_file
        self.env = dict(os.environ, OS_CLIENT_CONFIG_FILE=c.clouds_yaml)

    def command(self, *args):
        return CLI + ['--config-file', self.config_file] + list(args)

    def cli(self, *args):
        result = subprocess.run(
            self.command(*args),
            env=self.env, capture_output=True, text=True, timeout=600)
        if result.returncode not in (0, 1):
            raise RuntimeError('%s: %s' % (' '.join(args), result.stderr))
        return result.stdout

    def control(self, path, body):
        request = urllib.request.Request(
            self.c.sim_url + '/_sim/' + path, method='PUT',
            data=json.dumps(body).encode(),
            headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request) as response:
            return json.load(response)

    def run(self, title, post_args, operator=None):
        before = self.c.sim('stats')
        began = time.monotonic()
        known = {j['id'] for j in json.loads(
            self.cli('job', 'list', '-f', 'json'))}
        # In local mode "job post" runs the job until it ends (waiting at
        # its gates): in the background, while this loop plays the
        # operator from other processes, as a second terminal would.
        posting = subprocess.Popen(
            self.command('job', 'post', *post_args, '-f', 'value', '-c',
                         'id'), env=self.env, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True)
        if self.local:
            job_id = self.new_job(known)
        else:
            job_id = posting.communicate(timeout=600)[0].strip()
        released = []
        while True:
            view = json.loads(self.cli('job', 'show', job_id, '-f', 'json'))
            if view['state'] == 'waiting' and \
                    view['waiting_for'] not in released:
                operator(view['waiting_for'])
                released.append(view['waiting_for'])
                self.cli('job', 'continue', job_id)
            elif view['state'] not in ('queued', 'running', 'waiting',
                                       'interrupted'):
                break
            time.sleep(0.5)
        posting.communicate(timeout=600)
        seconds = time.monotonic() - began
        self.report(title, view, seconds, len(released), before,
                    self.c.sim('stats'))

    def new_job(self, known):
        while True:
            new = [j['id'] for j in json.loads(
                self.cli('job', 'list', '-f', 'json')) if j['id'] not in known]
            if new:
                return new[0]
            time.sleep(0.2)

    @staticmethod
    def report(title, view, seconds, gates, before, after):
        def delta(key):
            old = before.get(key, {})
            return {k: v - old.get(k, 0) for k, v in after.get(key, {}).items()
                    if v - old.get(k, 0)}
        failovers = delta('failovers_by_lb')
        print(title)
        print('  job state              %s' % view['state'])
        print('  seconds                %.1f' % seconds)
        print('  gates released         %d' % gates)
        print('  targets                %s' % ', '.join(
            '%d %s' % (n, k) for k, n in view['counts'].items() if n))
        print('  failovers              %d (LBs: %d, repeated: %d)' % (
            sum(failovers.values()), len(failovers),
            sum(n - 1 for n in failovers.values())))
        print('  automatic failovers    %d' % (
            after.get('automatic_failovers', 0) -
            before.get('automatic_failovers', 0)))
        configs = delta('amphora_configs_by_id')
        print('  amphora configures     %d (repeated: %d)' % (
            sum(configs.values()), sum(n - 1 for n in configs.values())))
        renewals = delta('cert_rotations_by_amphora')
        print('  certificates renewed   %d (repeated: %d)' % (
            sum(renewals.values()), sum(n - 1 for n in renewals.values())))
        deletes = delta('server_deletes_by_id')
        print('  servers deleted        %d' % sum(deletes.values()))
        print('  host disables/enables  %d/%d' % (
            sum(delta('service_disables_by_host').values()),
            sum(delta('service_enables_by_host').values())))
        print('  peak concurrent        %d (throttle %d)' % (
            after['peak_concurrent_failovers'], THROTTLE))


def local_config(c):
    """The cluster's configuration in local mode: no board, own database."""
    parser = configparser.ConfigParser()
    parser.read(c.config_file)
    parser['jobboard']['backend'] = 'local'
    parser['persistence']['connection'] = 'sqlite:///%s' % os.path.join(
        c.workdir, 'local-jobs.sqlite')
    path = os.path.join(c.workdir, 'local.conf')
    with open(path, 'w') as f:
        parser.write(f)
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--local', action='store_true',
                        help='Local mode: the CLI runs every job itself.')
    args = parser.parse_args()
    print('mode: %s' % ('local' if args.local else 'board, 2 conductors'))
    with cluster.Cluster(FLEET, 0 if args.local else 2, THROTTLE) as c:
        tour = Tour(c, args.local)
        image = os.path.join(c.workdir, 'amphora-new.qcow2')
        with open(image, 'wb') as f:
            f.write(image_file.qcow2_header(2 * 1024 ** 3) + b'\0' * 4096)
        tour.run('rotate-image --image-file', ['rotate-image',
                                               '--image-file', image])
        tour.run('rotate-certs --mode amphora-certs', ['rotate-certs'])
        ca = certificates.CA(pathlib.Path(c.workdir))
        # Their gates ask for files deployed on the controllers and
        # services restarted: nothing the simulator models.
        tour.run('rotate-certs --mode client-ca', [
            'rotate-certs', '--mode', 'client-ca', '--ca-cert',
            str(ca.cert_path), '--client-cert',
            str(ca.issue(pathlib.Path(c.workdir)))], lambda gate: None)
        tour.run('rotate-certs --mode ca', [
            'rotate-certs', '--mode', 'ca', '--ca-cert', str(ca.cert_path),
            '--ca-key', str(ca.key_path)], lambda gate: None)

        def heartbeat_operator(instructions):
            if 'restore' in instructions:
                tour.control('heartbeat', {'heartbeat_timeout': 60 * SCALE,
                                           'restart_health_managers': True})
            else:
                tour.control('heartbeat', {
                    'heartbeat_key': 'new-key',
                    'heartbeat_timeout': HEARTBEAT_TIMEOUT * SCALE,
                    'sighup_workers': True,
                    'restart_health_managers': True})
        tour.run('heartbeat-key', [
            'heartbeat-key', '--heartbeat-timeout', str(HEARTBEAT_TIMEOUT),
            '--heartbeat-interval', '1'], heartbeat_operator)
        tour.run('evacuate-host --host compute-002',
                 ['evacuate-host', '--host', 'compute-002'])
        tour.run('cleanup-node --host compute-001 --yes',
                 ['cleanup-node', '--host', 'compute-001', '--yes'])
        report = json.loads(tour.cli('fleet', 'report', '-f', 'json'))
        print('fleet report -f json')
        print('  %s' % json.dumps(report)[:600])


if __name__ == '__main__':
    main()
