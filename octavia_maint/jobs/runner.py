"""Running a saved job's engine in this process (local mode).

The same flow factories and the same saved state as on a conductor: a
job started locally and interrupted is continued by ``job resume``.
Engines are serial, so a job's tasks all run in one thread and see the
job context installed around ``engine.run()``.

Outcome rule (DESIGN.md section 3, "Outcome rules"): a job that fails
stops where it is and keeps what it did; only ``job cancel`` reverts.
TaskFlow reverts a flow whenever one of its atoms fails, unless the
engine runs with ``never_resolve``: then the failed atom stays FAILURE,
every other atom keeps its result, and the flow ends FAILURE. So every
engine runs with ``never_resolve`` unless the job (or its campaign) was
cancelled. A cancelled job's engine resolves: loading a FAILURE flow it
reverts every atom that ran (TaskFlow's completer resumes failed atoms
by reverting), and a cancel that stops a running engine (``JobCancelled``
before a step) leaves a FAILURE flow that :func:`revert_pending` sees
and the runner (or conductor) runs once more, now reverting. ``job
resume`` resets the failed atoms instead (``JobStore.reset_atoms``).
"""

import logging as std_logging
import os
import socket
import threading

from oslo_log import log as logging
from taskflow import engines
from taskflow import states
from taskflow import storage

from octavia_maint.common import exceptions
from octavia_maint.jobs import children
from octavia_maint.jobs import engine_writes
from octavia_maint.jobs import factories
from octavia_maint.runtime import context

LOG = logging.getLogger(__name__)
# The logger of TaskFlow's action engine (taskflow 6.5).
TASKFLOW_ENGINE_LOGGER = 'taskflow.engines.action_engine.engine'


class _JobFailureIsNoEngineError(std_logging.Filter):
    """Log a job's own failure from TaskFlow's engine at INFO, untraced.

    With ``never_resolve`` TaskFlow re-raises a failed task's exception
    through the path meant for engine faults, which logs it at ERROR with
    a traceback ("something bad must have happened"). One of our
    exceptions there is the job's outcome (saved, shown by ``job show``),
    not a fault; anything else keeps its ERROR.
    """

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, exceptions.OctaviaMaintError):
            record.levelno, record.levelname = std_logging.INFO, 'INFO'
            record.msg = 'Job ended: %s' % error
            record.args = ()
            record.exc_info = record.exc_text = None
        return True


std_logging.getLogger(TASKFLOW_ENGINE_LOGGER).addFilter(
    _JobFailureIsNoEngineError())


def engine_for(flow_detail, persistence):
    """A serial engine for a saved job, resuming where it stopped.

    The flow is rebuilt by the factory named in the flow detail (under
    its current name, jobs/factories.py), with the store saved at
    posting: the same graph on every conductor. Call it with the job's
    context active: it says whether the job was cancelled, the one case
    where a failure reverts (module docstring), and the engine is bound
    to it.
    """
    _repair_interrupted_injection(flow_detail)
    job = context.current()
    engine = engines.load_from_detail(
        factories.upgrade(flow_detail),
        store=dict(flow_detail.meta.get('store', {})),
        backend=engine_writes.StateWritesOnly(persistence), engine='serial',
        # Read now: an engine that does not resolve would end a failed
        # flow REVERTED without reverting anything.
        never_resolve=not job.cancelled(fresh=True))
    job.bind(engine)
    return engine


# The job context a runner installs around ``engine.run()``
# (runtime/context.py), for the conductor, which imports jobs only.
activate = context.activate


def revert_pending(flow_state, job):
    """Whether ``job`` (the running job's context), whose flow is saved in
    ``flow_state``, was cancelled and ended failed without reverting: its
    engine must run once more."""
    return flow_state == states.FAILURE and job.cancelled(fresh=True)


def _repair_interrupted_injection(flow_detail):
    """Make a job killed while TaskFlow injected its store loadable.

    TaskFlow saves the store's injector atom in two writes: the atom with
    no values, then its values. A process killed between the two leaves
    an atom TaskFlow cannot load again (it reads the values' keys), so
    the job could never run. Its values are the store saved with the
    job, which loading injects again at once.
    """
    for atom in flow_detail:
        if (atom.name == storage.Storage.injector_name and
                atom.results is None):
            atom.results = {}
            atom.state = states.SUCCESS


def mark_runner(store, job_id):
    """Record this process as the one that runs a local job.

    A local job no live process runs is *interrupted* (``job resume``),
    whether it got as far as its first step or not.
    """
    store.update_flow_meta(
        job_id, runner={'host': socket.gethostname(), 'pid': os.getpid()})


class LocalRunner:
    """Runs jobs and their children in threads of this process."""

    def __init__(self, backend, max_children):
        self.backend = backend
        self.children = children.LocalChildren(backend.store, self.run,
                                               max_children)
        self._engines = set()
        self._lock = threading.Lock()
        self._stopping = False

    def run(self, job_id):
        """Run (or continue) one job to its end; failures stay saved."""
        if self._stopping:
            return
        mark_runner(self.backend.store, job_id)
        running = self.backend.running_job(job_id, self.children)
        with context.activate(running):
            self._run_engine(job_id, running)
            if not self._stopping and revert_pending(
                    self.backend.store.get_flow(job_id).state, running):
                LOG.info('Job %s was cancelled; reverting it', job_id)
                self._run_engine(job_id, running)

    def _run_engine(self, job_id, running):
        engine = engine_for(
            self.backend.store.get_flow(job_id, with_atoms=True),
            self.backend.persistence)
        with self._lock:
            # Checked again under the lock: an engine that ``stop`` did
            # not see would run on unsuspended after a Ctrl-C, and start
            # children on a pool that is shut down.
            if self._stopping:
                return
            self._engines.add(engine)
        try:
            engine.run()
        except Exception as e:
            LOG.info('Job %s ended with: %s', job_id, e)
        finally:
            with self._lock:
                self._engines.discard(engine)

    def stop(self):
        """Suspend every engine after its running step (Ctrl-C).

        Returns at once: a serial engine only takes the suspension when
        its running step ends, and the campaign's wait for its children
        never does, so the caller exits and leaves that step to ``job
        resume``. Children finish their running step before the process
        exits (their threads are joined at exit); queued ones are dropped.
        """
        with self._lock:
            self._stopping = True
            engines_now = list(self._engines)
        for engine in engines_now:
            threading.Thread(target=engine.suspend, daemon=True).start()
        self.children.shutdown()
