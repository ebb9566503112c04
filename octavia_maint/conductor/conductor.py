"""Our TaskFlow conductor: claims jobs, runs them, counts attempts.

TaskFlow's non-blocking conductor does the claiming and consuming; we add
what DESIGN.md section 6 asks for: a serial engine per job with the job
context installed, the claim-checking listener so a conductor that lost
its claim suspends, and an attempt count so a job that keeps dying
before it can be consumed ends failed instead of cycling forever.
"""

from concurrent import futures
import threading

from oslo_log import log as logging
from taskflow.conductors.backends import impl_nonblocking
from taskflow import states

from octavia_maint.common import exceptions
from octavia_maint.conductor import metrics
from octavia_maint.jobs import board
from octavia_maint.jobs import children
from octavia_maint.jobs import context as job_context
from octavia_maint.jobs import runner
from octavia_maint.jobs import taskflow_private


LOG = logging.getLogger(__name__)


class Conductor(taskflow_private.ConductorHooks):
    """Runs octavia-maint jobs from the ZooKeeper board."""

    # A job whose claim was lost belongs to its new owner: never consume
    # it (TaskFlow consumes a job on any other exception).
    NO_CONSUME_EXCEPTIONS = (
        impl_nonblocking.NonBlockingConductor.NO_CONSUME_EXCEPTIONS +
        (exceptions.ClaimLost,))

    def __init__(self, name, backend, max_simultaneous_jobs, wait_timeout,
                 max_attempts):
        super().__init__(name, board.UnclaimedJobs(backend.board),
                         persistence=backend.persistence, engine='serial',
                         wait_timeout=wait_timeout,
                         max_simultaneous_jobs=max_simultaneous_jobs)
        self.name = name
        self._backend = backend
        self._max_attempts = max_attempts
        self._running = {}
        self._claims = {}
        self._running_lock = threading.Lock()

    def hand_over(self):
        """Release the claims of the jobs still running here.

        Other conductors claim them at once and re-run their current step,
        which is safe: every step looks at the cloud first. Our threads
        keep their throttle slots until their step ends (the cloud still
        counts those failovers), and the claim-guarded persistence stops
        them at their next write; those still waiting for a slot stop
        waiting (their failover was never issued), or the process would
        live on until other conductors gave a slot back.
        """
        with self._running_lock:
            # The jobs of a batch share their board job and its claim.
            jobs = {member.board_job.uuid: member.board_job
                    for member in self._running.values()}
            claims = set(self._claims.values())
        for claim in claims:
            claim.hand_over()
        self._backend.throttle.stop_waiting()
        for job in jobs.values():
            try:
                self.jobboard.abandon(job, self.name)
                LOG.info('Handed %s over', board.label(job))
            except Exception as e:
                LOG.warning('Could not hand %s over: %s', board.label(job),
                            e)

    def flow_detail_for(self, job):
        # Always from the database: a job this process posted (or ran
        # before) carries a cached logbook whose state is out of date.
        return self._backend.store.get_flow(job.book_uuid, with_atoms=True)

    def engine_for(self, job):
        # A claim-checking backend: a stale owner's first write fails
        # instead of overwriting the new owner's state.
        engine = runner.engine_for(
            self.flow_detail_for(job),
            job_context.ClaimGuardedBackend(self.persistence,
                                            self._claims[job.uuid]))
        return engine

    def listeners_for(self, job, engine):
        listeners = super().listeners_for(job, engine)
        listeners.append(job_context.ClaimListener(
            engine, job, self.jobboard, self.name, self._claims[job.uuid]))
        listeners.append(metrics.FailoverMetricsListener(engine))
        return listeners

    def dispatch(self, job):
        """Run one claimed board job; True consumes it, False abandons it.

        The jobs of a batch (jobs/children.py) run side by side, each in
        a thread of its own, under the board job's one claim; it is
        consumed once every one of them finished, else abandoned, and its
        next owner runs those that did not.
        """
        claim = job_context.BoardClaim(
            self.jobboard, self._backend.client, job, self.name,
            self._backend.conf.jobboard.session_timeout)
        members = board.members(job)
        if len(members) == 1:
            return self._run_member(members[0], claim)
        with futures.ThreadPoolExecutor(
                len(members), thread_name_prefix='batch') as pool:
            return all(list(pool.map(
                lambda member: self._run_member(member, claim), members)))

    def _run_member(self, job, claim):
        """Run one claimed job (of a batch, or alone); True when finished.

        Never raises: TaskFlow trashes a job whose dispatch raised, and a
        trashed child would be lost to its campaign. A storage or board
        error abandons the job instead, so it is claimed again (and
        counted as an attempt).
        """
        try:
            return self._run_claimed(job, claim)
        except Exception:
            LOG.exception('Job %s could not be run here; abandoning it',
                          job.book_uuid)
            return False

    def _run_claimed(self, job, claim):
        store = self._backend.store
        job_id = job.book_uuid
        metrics.JOBS_CLAIMED.inc()
        running = self._backend.running_job(
            job_id, self._backend.board_children(), claim=claim)
        flow = store.get_flow(job_id)
        if (flow.state in children.FINISHED and
                not runner.revert_pending(flow.state, running)):
            # Finished by an earlier owner of its batch, which lost the
            # claim before the whole batch was done: nothing left to do.
            return True
        attempts = flow.meta.get('attempts', 0) + 1
        if attempts > self._max_attempts:
            reason = ('given up after %d attempts that ended without the '
                      'job finishing (conductor crashes or storage errors)'
                      % self._max_attempts)
            LOG.error('Job %s: %s', job_id, reason)
            store.give_up(job_id, reason)
            metrics.JOBS_FAILED.inc()
            return True
        store.update_flow_meta(job_id, attempts=attempts,
                               runner={'conductor': self.name})
        with self._running_lock:
            self._running[job.uuid] = job
            self._claims[job.uuid] = claim
        try:
            with runner.activate(running):
                consume = self.run_engine(job)
                flow_state = store.get_flow(job_id).state
                if runner.revert_pending(flow_state, running):
                    # Cancelled while it ran: it stopped without
                    # reverting; this second run reverts (runner.py).
                    consume = self.run_engine(job)
                    flow_state = store.get_flow(job_id).state
        finally:
            with self._running_lock:
                # A conductor woken past its session may claim the job
                # again while its old run still ends its step: the old run
                # must not take the new run's entries away.
                if self._claims.get(job.uuid) is claim:
                    self._running.pop(job.uuid, None)
                    self._claims.pop(job.uuid, None)
        if consume and flow_state not in children.FINISHED:
            # TaskFlow consumes a job whose engine raised anything but an
            # execution or storage failure, e.g. the ClaimLost of a
            # conductor whose ZooKeeper session expired. Consumed, it
            # would be gone from the board with its work unfinished.
            LOG.warning('Job %s stopped unfinished here (%s); leaving it on '
                        'the board for the conductor that owns it now',
                        job_id, flow_state)
            consume = False
        if flow_state == states.SUSPENDED:
            # A clean hand-off (SIGTERM) is not a failed attempt.
            store.update_flow_meta(job_id, attempts=attempts - 1)
        metrics.record_job_end(flow_state)
        return consume
