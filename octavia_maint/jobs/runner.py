"""Running a saved job's engine in this process (local mode).

The same flow factories and the same saved state as on a conductor: a
job started locally and interrupted is continued by ``job resume``.
Engines are serial, so a job's tasks all run in one thread and see the
job context installed around ``engine.run()``.
"""

import os
import socket
import threading

from oslo_log import log as logging
from taskflow import engines
from taskflow import states
from taskflow import storage

from octavia_maint.jobs import children
from octavia_maint.runtime import context

LOG = logging.getLogger(__name__)


def engine_for(flow_detail, persistence):
    """A serial engine for a saved job, resuming where it stopped.

    The flow is rebuilt by the factory named in the flow detail, with the
    store saved at posting: the same graph on every conductor.
    """
    _repair_interrupted_injection(flow_detail)
    return engines.load_from_detail(
        flow_detail, store=dict(flow_detail.meta.get('store', {})),
        backend=persistence, engine='serial')


def reset(flow_detail, persistence):
    """Make a finished job run again from its first step, as TaskFlow
    itself does with a reverted flow (every atom back to PENDING).

    For the targets ``job resume`` tries again: nothing of them was done,
    so nothing is repeated.
    """
    engine = engine_for(flow_detail, persistence)
    engine.compile()
    engine.prepare()
    engine.reset()


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
        engine = engine_for(
            self.backend.store.get_flow(job_id, with_atoms=True),
            self.backend.persistence)
        running = self.backend.running_job(job_id, self.children)
        running.bind(engine)
        with self._lock:
            # Checked again under the lock: an engine that ``stop`` did
            # not see would run on unsuspended after a Ctrl-C, and start
            # children on a pool that is shut down.
            if self._stopping:
                return
            self._engines.add(engine)
        try:
            with context.activate(running):
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
