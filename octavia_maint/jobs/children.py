"""Where a campaign's child jobs go: the ZooKeeper board, or local threads.

Posting is idempotent: a child's id derives from its campaign and target,
so a campaign re-planned after a crash finds the records it saved. A
child is (re)posted unless it already finished or is still on the board.
"""

import concurrent.futures

from oslo_log import log as logging
from taskflow import states

from octavia_maint.jobs import persistence

LOG = logging.getLogger(__name__)

CHILD_FACTORY = 'octavia_maint.jobs.campaign.child_flow_factory'
FINISHED = (states.SUCCESS, states.REVERTED, states.FAILURE)


class Children:
    """Creates child records; subclasses decide how they get run."""

    def __init__(self, store):
        self.store = store

    def ensure_posted(self, campaign_id, procedure, specs):
        """Make sure every child of ``specs`` exists and is on its way.

        :param specs: ``[(target_id, store)]`` in the order to run them.
        :returns: the child job ids, in the same order.
        """
        ids = [persistence.child_id(campaign_id, t) for t, _ in specs]
        saved = self.store.flow_states(ids)
        for child, (target, store) in zip(ids, specs):
            if child not in saved:
                self.store.create(
                    child, '%s %s' % (procedure, target),
                    {'procedure': procedure, 'parent': campaign_id,
                     'target': target, 'kind': 'child'},
                    CHILD_FACTORY,
                    {'procedure': procedure, 'target_id': target}, store)
        posted = self.dispatch_unfinished(ids)
        LOG.info('Campaign %s: %d children, %d posted now', campaign_id,
                 len(ids), posted)
        return ids

    def dispatch_unfinished(self, child_ids):
        """(Re)dispatch the saved children that are neither finished nor
        already queued; safe to call at any time. :returns: how many."""
        # The board first: a child consumed between the two reads then
        # shows as finished, never as lost.
        queued = self._queued_ids()
        states_now = self.store.flow_states(child_ids)
        dispatched = 0
        for child in child_ids:
            if states_now.get(child) in FINISHED or child in queued:
                continue
            self._dispatch(child)
            dispatched += 1
        return dispatched

    def states(self, child_ids):
        return self.store.flow_states(child_ids)

    def _queued_ids(self):
        return set()

    def _dispatch(self, child_id):
        raise NotImplementedError


class BoardChildren(Children):
    """Children posted on the ZooKeeper board for any conductor to claim."""

    def __init__(self, backend):
        super().__init__(backend.store)
        self._backend = backend

    def _queued_ids(self):
        return set(self._backend.jobs_on_board())

    def _dispatch(self, child_id):
        self._backend.post(child_id)


class LocalChildren(Children):
    """Children run by a thread pool of this process (local mode)."""

    def __init__(self, store, run_job, max_workers):
        super().__init__(store)
        self._run_job = run_job
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=max_workers, thread_name_prefix='child')
        self._futures = {}

    def _queued_ids(self):
        return {c for c, f in self._futures.items() if not f.done()}

    def _dispatch(self, child_id):
        self._futures[child_id] = self._pool.submit(self._run_job, child_id)

    def shutdown(self):
        """Drop the queued children; running ones end after their step."""
        self._pool.shutdown(wait=False, cancel_futures=True)
