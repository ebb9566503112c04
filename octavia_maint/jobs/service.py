"""The operations the CLI offers on jobs: post, list, show, cancel, continue,
resume.

Everything is validated before anything is saved: a bad parameter, an
unknown load balancer or an unreachable database or ZooKeeper raise one
of our exceptions and leave no trace behind.
"""

import getpass
import uuid

from oslo_utils import timeutils
from taskflow import engines

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.conf import conductor as conf_conductor
from octavia_maint.flows import registry
from octavia_maint.jobs import backend as backend_mod
from octavia_maint.jobs import factories
from octavia_maint.jobs import resume
from octavia_maint.jobs import runner
from octavia_maint.jobs import status
from octavia_maint.runtime import context


class JobService:
    """Job operations over one :class:`JobBackend`."""

    def __init__(self, conf, connection=None):
        """:param connection: an openstacksdk Connection to use instead of
            the one ``[cloud]`` describes (the openstack CLI's session)."""
        self.conf = conf
        self.backend = backend_mod.JobBackend(conf, connection=connection)

    def close(self, discard_unused=False):
        """Close the backend; ``discard_unused`` after a failed command
        (see :meth:`JobBackend.close`)."""
        self.backend.close(discard_unused)

    # -- posting -------------------------------------------------------
    def validate(self, procedure, params):
        """Check parameters, then run the procedure's preflight against
        the cloud (in memory, nothing saved).

        :returns: the procedure, the params completed with defaults, and
            why the job would probably not do what the operator means, or
            None (``Procedure.get_preflight_flow``).
        :raises InvalidInput: unknown procedure, bad parameters, or a
            named target the cloud does not know.
        :raises CloudError, ConfigError: the cloud cannot be used.
        """
        proc = registry.get(procedure)
        params = proc.validate(params)
        flow = proc.get_preflight_flow(params)
        if flow is None:
            return proc, params, None
        engine = engines.load(flow, engine='serial')
        with context.activate(context.JobContext(cloud=self.backend.cloud)):
            engine.run()
        doubt = (engine.storage.fetch(constants.DOUBT)
                 if constants.DOUBT in flow.provides else None)
        return proc, params, doubt

    def plan(self, procedure, params):
        """A dry run: the plan and an estimate, nothing saved or changed."""
        proc, params, doubt = self.validate(procedure, params)
        flow = proc.get_plan_flow(params, dry_run=True)
        store = dict(proc.campaign_store(params),
                     **{constants.JOB_ID: 'dry-run'})
        engine = engines.load(flow, store=store, engine='serial')
        with context.activate(context.JobContext(cloud=self.backend.cloud)):
            engine.run()
        targets = engine.storage.fetch(constants.TARGETS)
        to_run = [t for t in targets if t['action'] == constants.PLAN_RUN]
        plan = dict(proc.estimate(params, to_run, self.conf.throttle,
                                  self.failover_times()),
                    targets=targets, to_run=len(to_run))
        plan['notes'] = ' '.join(filter(None, (
            doubt and doubt + '; job post refuses this without --force.',
            proc.plan_notes(params, engine.storage.fetch_all()),
            plan['notes'], proc.canary_notes(params, targets)))) or None
        return plan

    def failover_times(self):
        """This cloud's failover durations per topology, for estimates:
        its recent history, else ``[throttle] expected_failover_seconds``."""
        return self.backend.failover_history.failover_times(
            self.conf.throttle.expected_failover_seconds)

    def post(self, procedure, params, force=False):
        """Save and post a job; returns its id."""
        proc, params, doubt = self.validate(procedure, params)
        unconfirmed = proc.confirmation_needed(params)
        if unconfirmed:
            raise exceptions.InvalidInput(reason=unconfirmed)
        if not force:
            self._refuse_overlap(proc, params)
            if doubt:
                raise exceptions.InvalidInput(
                    reason=doubt + '; or add --force')
        job_id = str(uuid.uuid4())
        meta = {'procedure': procedure, 'params': params, 'kind': 'campaign',
                'posted_by': getpass.getuser()}
        store = dict(proc.campaign_store(params),
                     **{constants.JOB_ID: job_id})
        self.backend.store.create(
            job_id, procedure, meta, factories.CAMPAIGN_FACTORY,
            {'procedure': procedure, 'params': params}, store)
        if self.backend.local:
            # The posting process runs it (cli.progress.follow).
            runner.mark_runner(self.backend.store, job_id)
        else:
            self.backend.post(job_id)
        return job_id

    def _refuse_overlap(self, proc, params):
        mine = proc.targets_of(params)
        for view in self.list(include_children=False):
            if (view['procedure'] != proc.name or
                    view['state'] not in constants.ACTIVE_JOB_STATES):
                continue
            theirs = proc.targets_of(view['parameters'])
            if not mine or not theirs or mine & theirs:
                raise exceptions.InvalidInput(
                    reason='job %s (%s, %s) already covers these targets; '
                           'wait for it, cancel it, or add --force'
                    % (view['id'], proc.name, view['state']))

    # -- reading -------------------------------------------------------
    def list(self, state=None, include_children=False):
        on_board = self.backend.jobs_on_board()
        views = []
        for book in self.backend.store.books():
            if not include_children and book.meta.get('parent'):
                continue
            view = status.job_view(self.backend, book, on_board)
            if state is None or view['state'] == state:
                views.append(view)
        return views

    def show(self, job_id):
        """The job's view plus ``targets``, ``counts``, ``phases`` and
        ``eta_seconds``."""
        view = self.view(job_id)
        targets = status.campaign_targets(self.backend, job_id)
        view['targets'] = targets
        view['counts'] = status.counts(targets)
        view['phases'] = status.phases(targets)
        view['eta_seconds'] = (self._eta_seconds(view)
                               if view['state'] == constants.JOB_RUNNING
                               else None)
        return view

    def _eta_seconds(self, view):
        """From this cloud's failover figures where the work is
        failovers; else at the pace so far."""
        if view['parent'] or not registry.get(view['procedure']).fails_over(
                view['parameters']):
            return status.eta_seconds(view, view['counts'])
        return status.failover_eta_seconds(
            view['targets'], self.failover_times(), self.conf.throttle)

    # -- operator requests ---------------------------------------------
    def cancel(self, job_id):
        """Ask the job to stop before its next step and revert.

        The only way a job reverts (jobs/runner.py). A failed job stopped
        and kept what it did; cancelling it runs it once more to revert:
        on a board a conductor does (the job is posted again), locally
        the caller runs it (``cli/jobs.py``), as for an interrupted job.
        """
        view = self.view(job_id)
        if view['state'] not in constants.ACTIVE_JOB_STATES + (
                constants.JOB_FAILED,):
            raise exceptions.InvalidInput(
                reason='job %s is %s; only a queued, running, waiting, '
                       'interrupted or failed job can be cancelled'
                % (job_id, view['state']))
        if view['parent']:
            raise exceptions.InvalidInput(
                reason='job %s is a child of campaign %s; cancel the '
                       'campaign' % (job_id, view['parent']))
        store = self.backend.store
        store.update_book_meta(job_id, cancel_requested=True)
        if view['state'] == constants.JOB_FAILED:
            store.update_flow_meta(job_id, gave_up=None, attempts=0)
        if not self.backend.local and view['state'] in (
                constants.JOB_FAILED, constants.JOB_INTERRUPTED):
            self.backend.post(job_id)
        return self.view(job_id)

    def continue_job(self, job_id):
        """Release the gate the job waits at (the operator did their part).

        The conductor holding the job continues within a second; a local
        job that no process runs any more is the caller's to run.
        """
        view = self.view(job_id)
        if view['state'] != constants.JOB_WAITING:
            raise exceptions.InvalidInput(
                reason='job %s is %s, not waiting at a gate'
                % (job_id, view['state']))
        gate = self.backend.store.get_flow(job_id).meta['waiting_gate']
        self.backend.store.release_gate(job_id, gate['gate'])
        return view

    def resume(self, job_id):
        """Continue a failed, cancelled or interrupted job from its state.

        A failed, cancelled or interrupted job runs again only what did
        not succeed (:func:`resume.reset_for_resume`), not-attempted
        targets included (circuit breaker open, cloud unavailable before
        the job acted): what succeeded stays done.
        """
        view = self.view(job_id)
        if view['state'] in (constants.JOB_SUCCEEDED, constants.JOB_RUNNING,
                             constants.JOB_QUEUED):
            raise exceptions.InvalidInput(
                reason='job %s is %s; nothing to resume'
                % (job_id, view['state']))
        store = self.backend.store
        store.update_book_meta(job_id, cancel_requested=False,
                               resumed_at=timeutils.utcnow().isoformat())
        resume.reset_for_resume(store, job_id)
        if not self.backend.local:
            self.backend.post(job_id)
        return self.view(job_id)

    def local_runner(self):
        """A runner that runs jobs inside this process (local mode)."""
        return runner.LocalRunner(
            self.backend, conf_conductor.max_simultaneous_jobs(self.conf))

    def view(self, job_id):
        """The job's view without its targets (cheap, for polling)."""
        book = self.backend.store.get_book(job_id)
        return status.job_view(self.backend, book,
                               self.backend.jobs_on_board())
