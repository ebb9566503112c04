"""``octavia-maint-conductor``: the long-running service that runs jobs.

Run several per cloud; they share the work through the ZooKeeper board
and one failover throttle. SIGTERM stops claiming and lets every engine
suspend after its running step; the job of a step still running after
``[conductor] graceful_shutdown_timeout`` is handed over at once (its
claim released) and that step re-run by the next owner, which is safe
because every task looks at the cloud before it acts. The process exits
when its own copies of those steps end, holding their failover slots
until then.
"""

import os
import socket
import sys
import threading

import cotyledon
from oslo_log import log as logging

from octavia_maint.common import exceptions
from octavia_maint.common import refusal
from octavia_maint.conductor import conductor as conductor_mod
from octavia_maint.conductor import metrics
from octavia_maint import conf
from octavia_maint.conf import conductor as conf_conductor
from octavia_maint.conf import jobboard as conf_jobboard
from octavia_maint.conf import loading
from octavia_maint.jobs import backend as backend_mod
from octavia_maint.jobs import zookeeper

LOG = logging.getLogger(__name__)
CONF = conf.CONF
PROG = 'octavia-maint-conductor'


def conductor_name(conf_):
    return conf_.conductor.name or '%s-%d' % (socket.gethostname(),
                                              os.getpid())


def warn_if_throttle_out_of_reach(conf_):
    """Say at start when this conductor alone cannot fill the throttle.

    Every failover in flight is one child job, carried with others in a
    board job (``[jobboard] targets_per_board_job``), and a campaign is
    one board job more: a conductor holding a campaign keeps at most
    ``(max_simultaneous_jobs - 1) * targets_per_board_job`` failovers
    going. Fewer than the throttle allows is no error (other conductors
    share the work), but a deployment that cannot reach its throttle
    should hear how many conductors it takes.
    """
    jobs = conf_conductor.max_simultaneous_jobs(conf_)
    per_job = conf_jobboard.targets_per_board_job(conf_)
    limit = conf_.throttle.max_concurrent_failovers
    if (jobs - 1) * per_job >= limit:
        return
    # Board jobs that fill the throttle, and the campaign's own.
    needed = -(-limit // per_job) + 1
    LOG.warning('This conductor runs at most %d board jobs at once '
                '([conductor] max_simultaneous_jobs) of %d targets each '
                '([jobboard] targets_per_board_job), so at most %d '
                'failovers beside a campaign; the throttle allows %d '
                '([throttle] max_concurrent_failovers): run at least %d '
                'conductors or raise max_simultaneous_jobs to %d', jobs,
                per_job, (jobs - 1) * per_job, limit, -(-needed // jobs),
                needed)


class ConductorService(cotyledon.Service):
    """One conductor: claims and runs jobs until told to stop."""

    name = 'octavia-maint-conductor'

    def __init__(self, worker_id, conf_):
        super().__init__(worker_id)
        self.conf = conf_
        # cotyledon's own limit only backs ours up.
        self.graceful_shutdown_timeout = int(
            conf_.conductor.graceful_shutdown_timeout +
            conf_.throttle.failover_timeout) + 10
        self._stopping = threading.Event()
        self._conductor = None
        self._backend = None

    def run(self):
        name = conductor_name(self.conf)
        try:
            self._backend = backend_mod.JobBackend(self.conf, identity=name)
        except exceptions.OctaviaMaintError as e:
            LOG.error('Cannot start: %s', e)
            raise SystemExit(2)
        metrics.serve(self.conf.conductor.metrics_host,
                      self.conf.conductor.metrics_port, self._backend, name)
        LOG.info('Conductor %s started (board %s)', name,
                 ','.join(self.conf.jobboard.hosts))
        warn_if_throttle_out_of_reach(self.conf)
        while not self._stopping.is_set():
            self._conductor = conductor_mod.Conductor(
                name, self._backend,
                conf_conductor.max_simultaneous_jobs(self.conf),
                self.conf.conductor.wait_timeout,
                self.conf.conductor.max_job_attempts)
            try:
                self._conductor.run()
            except Exception:
                # Before taskflow 6.5 a ZooKeeper error during a claim
                # ended run(); keep serving after a pause either way.
                LOG.exception('Conductor loop failed; restarting in %ss',
                              self.conf.conductor.restart_delay)
                self._stopping.wait(self.conf.conductor.restart_delay)

    def terminate(self):
        LOG.info('Stopping: no new claims; running steps finish or are '
                 'handed over')
        self._stopping.set()
        if self._conductor is not None:
            self._conductor.stop()
            if not self._conductor.wait(
                    self.conf.conductor.graceful_shutdown_timeout):
                LOG.warning('Steps still running after %ss; handing their '
                            'jobs over mid-step',
                            self.conf.conductor.graceful_shutdown_timeout)
                self._conductor.hand_over()
                # Failover slots stay held until those steps end, so the
                # throttle keeps counting failovers still in the cloud.
                self._conductor.wait(self.conf.throttle.failover_timeout)
        if self._backend is not None:
            self._backend.close()
        LOG.info('Conductor stopped')


def main(argv=None):
    """The console script: refuse a configuration it cannot run (exit 2,
    one line) in this process, then fork the worker.

    cotyledon respawns a worker that exits, whatever its exit code, so a
    mistake found in the worker would restart it forever; found here, it
    ends the service and systemd does not restart it either.
    """
    try:
        check_can_run(sys.argv[1:] if argv is None else argv)
    except refusal.BAD_INPUT_ERRORS as e:
        sys.exit(refusal.refuse(PROG, e))
    manager = cotyledon.ServiceManager()
    manager.add(ConductorService, workers=1, args=(CONF,))
    manager.run()


def check_can_run(argv):
    """Load the configuration and open (then close) the job backend.

    :raises ConfigError: a file, a value, ``[jobboard] backend`` or the
        connection to ZooKeeper or the database is wrong.
    """
    loading.load(CONF, argv)
    zookeeper.log_expected_trouble_in_one_line()
    if CONF.jobboard.backend != 'zookeeper':
        raise exceptions.ConfigError(
            reason='the conductor needs [jobboard] backend = zookeeper '
                   '(it is %s; "local" runs jobs in the CLI process, with '
                   'no conductor)' % CONF.jobboard.backend)
    # Nothing of it survives into the worker: kazoo's threads and the
    # database pool must not cross a fork.
    backend_mod.JobBackend(CONF, identity=conductor_name(CONF)).close()
