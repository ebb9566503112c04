"""A whole octavia-maint deployment on this machine, for the benchmarks.

A private ZooKeeper (the project's script), the simulator as its own
process (so it does not share the GIL with anything), N real
``octavia-maint-conductor`` processes, and a board-mode ``JobService`` in
this process to post and watch jobs. Everything binds loopback only and
everything started is stopped on exit.
"""

import contextlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import psutil
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from octavia_maint.common import constants  # noqa: E402
from octavia_maint.common import image_file  # noqa: E402
from octavia_maint import conf  # noqa: E402
from octavia_maint.jobs import service as service_mod  # noqa: E402
from tests.fixtures import databases  # noqa: E402
from tests.fixtures import zookeeper  # noqa: E402
from tests.functional.engine import harness  # noqa: E402

SIMULATOR = [sys.executable, '-c',
             'from octavia_maint.simulator import cmd; cmd.main()']


class Cluster:
    """Started by ``with Cluster(...) as cluster:``."""

    def __init__(self, fleet, conductors, max_concurrent, poll=0.1,
                 persistence='sqlite', session_timeout=10,
                 max_simultaneous_jobs=None, ensemble=False):
        """:param max_simultaneous_jobs: ``[conductor]`` option; None
            keeps the product's default, as the batch size
            (``[jobboard] targets_per_board_job``) always is: a benchmark
            measures the deployment an operator gets.
        """
        self.fleet = fleet
        self.n_conductors = conductors
        self.max_concurrent = max_concurrent
        self.poll = poll
        self.persistence = persistence
        self.session_timeout = session_timeout
        self.max_simultaneous_jobs = max_simultaneous_jobs
        self.ensemble = ensemble
        self.conductors = []

    def __enter__(self):
        self._stack = contextlib.ExitStack()
        self.workdir = self._stack.enter_context(
            tempfile.TemporaryDirectory(prefix='om-bench-'))
        db_url = self._stack.enter_context(databases.database(
            self.persistence, pathlib.Path(self.workdir)))
        # A 3-node ensemble as production runs it, or one server.
        servers = (zookeeper.PrivateEnsemble if self.ensemble
                   else zookeeper.PrivateZooKeeper)
        self.zk = servers(os.path.join(self.workdir, 'zk'))
        self.zk.start()
        self._stack.callback(self.zk.stop)
        self._start_simulator()
        groups = harness.config_groups(
            self.zk.hosts, '/octavia-maint-bench',
            db_url,
            max_concurrent=self.max_concurrent,
            session_timeout=self.session_timeout, poll=self.poll,
            throttle={'failover_timeout': 300},
            octavia={'service_project_id':
                     self.sim('fleet')['service_project_id']},
            octavia_db={'connection': self.octavia_db},
            DEFAULT={'debug': os.environ.get('BENCH_DEBUG', 'false')})
        # The test harness's small batches and job limit are for tests.
        del groups['jobboard']['targets_per_board_job']
        if self.max_simultaneous_jobs is None:
            del groups['conductor']['max_simultaneous_jobs']
        else:
            groups['conductor']['max_simultaneous_jobs'] = (
                self.max_simultaneous_jobs)
        self.config_file = harness.write_config(
            pathlib.Path(self.workdir, 'octavia-maint.conf'), **groups)
        os.environ['OS_CLIENT_CONFIG_FILE'] = self.clouds_yaml
        conf.CONF(['--config-file', self.config_file],
                  project='octavia-maint')
        self.service = service_mod.JobService(conf.CONF)
        self._stack.callback(self.service.close)
        for _ in range(self.n_conductors):
            self.start_conductor()
        self._stack.callback(self._stop_conductors)
        return self

    def __exit__(self, *exc_info):
        keep = os.environ.get('BENCH_LOGS')
        if keep:
            self._stack.callback(shutil.copytree, self.workdir, keep,
                                 ignore=shutil.ignore_patterns(
                                     'zk', '*.sqlite*'),
                                 dirs_exist_ok=True)
        self._stack.close()

    def _start_simulator(self):
        self.clouds_yaml = os.path.join(self.workdir, 'clouds.yaml')
        self.octavia_db = 'sqlite:///%s' % os.path.join(self.workdir,
                                                        'octavia.sqlite')
        args = ['--port', '0', '--write-clouds-yaml', self.clouds_yaml,
                '--octavia-db', self.octavia_db]
        for option, value in self.fleet.items():
            args += ['--' + option.replace('_', '-'), str(value)]
        self._sim_log = open(os.path.join(self.workdir, 'sim.log'), 'w')
        self.simulator = subprocess.Popen(SIMULATOR + args,
                                          stdout=self._sim_log,
                                          stderr=subprocess.STDOUT)
        self._stack.callback(self._stop_simulator)
        deadline = time.monotonic() + 60
        while not os.path.exists(self.clouds_yaml):
            if time.monotonic() > deadline or self.simulator.poll():
                raise RuntimeError('simulator did not start')
            time.sleep(0.1)
        time.sleep(0.2)
        with open(self.clouds_yaml) as f:
            cloud = yaml.safe_load(f)['clouds']['octavia-maint-sim']
        self.sim_url = cloud['auth']['auth_url'].rsplit('/identity', 1)[0]

    def _stop_simulator(self):
        self.simulator.terminate()
        self.simulator.wait(timeout=30)
        self._sim_log.close()

    def start_conductor(self):
        conductor = harness.ConductorProcess(
            self.config_file, self.clouds_yaml,
            os.path.join(self.workdir,
                         'conductor-%d.log' % len(self.conductors)))
        self.conductors.append(conductor)
        # Running before anything is posted, as in production: a figure
        # from posting must not count a conductor's own start-up.
        deadline = time.monotonic() + 60
        while ' started (board ' not in conductor.log():
            if time.monotonic() > deadline:
                raise RuntimeError('conductor did not start:\n' +
                                   conductor.log())
            time.sleep(0.1)
        return conductor

    def _stop_conductors(self):
        for conductor in self.conductors:
            conductor.stop()

    def sim(self, path):
        with urllib.request.urlopen(self.sim_url + '/_sim/' + path) as r:
            return json.load(r)

    def upload_new_image(self):
        path = os.path.join(self.workdir, 'amphora.qcow2')
        with open(path, 'wb') as f:
            f.write(image_file.qcow2_header(2 * 1024 ** 3) + b'\0' * 4096)
        return self.service.backend.cloud.create_image(
            'amphora-new', path, ['amphora'])

    def wait_done(self, job_id, timeout, poll=0.2):
        """Wait until the job leaves the active states; returns its state."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            view = self.service.view(job_id)
            if view['state'] not in constants.ACTIVE_JOB_STATES:
                return view['state']
            time.sleep(poll)
        raise RuntimeError('job %s not done after %ss' % (job_id, timeout))

    def peak_rss_mb(self):
        """Largest resident set of any conductor worker so far (MB)."""
        peak = 0.0
        for conductor in self.conductors:
            try:
                tree = psutil.Process(conductor.proc.pid)
                for proc in [tree] + tree.children(recursive=True):
                    peak = max(peak, proc.memory_info().rss / 2 ** 20)
            except psutil.NoSuchProcess:
                pass
        return peak

    def cpu_seconds(self):
        """CPU seconds (user + system) used so far by the conductors (all
        their processes), the simulator and ZooKeeper's JVMs."""
        def tree(pid):
            try:
                root = psutil.Process(pid)
                procs = [root] + root.children(recursive=True)
            except psutil.NoSuchProcess:
                return 0.0
            total = 0.0
            for proc in procs:
                try:
                    times = proc.cpu_times()
                except psutil.NoSuchProcess:
                    continue
                total += times.user + times.system
            return total
        zookeeper = sum(
            tree(p.pid) for p in psutil.process_iter(['cmdline'])
            if any(self.workdir in part for part in p.info['cmdline'] or ())
            and 'java' in ' '.join(p.info['cmdline'] or ()))
        return {'conductors': sum(tree(c.proc.pid) for c in self.conductors),
                'simulator': tree(self.simulator.pid),
                'zookeeper': zookeeper}
