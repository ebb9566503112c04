"""Where a campaign's child jobs go: the ZooKeeper board, or local threads.

A child's id derives from its campaign and target, so a campaign run
again after a crash finds the records it saved; a child is dispatched
again only when it neither finished nor waits on the board.
"""

import concurrent.futures
import threading

from oslo_log import log as logging
from taskflow import states

from octavia_maint.conf import jobboard as conf_jobboard
from octavia_maint.jobs import factories
from octavia_maint.jobs import outcomes
from octavia_maint.jobs import persistence
from octavia_maint.jobs import zookeeper


LOG = logging.getLogger(__name__)

FINISHED = (states.SUCCESS, states.REVERTED, states.FAILURE)


class Children:
    """Creates child records and reads their outcomes; subclasses decide
    how they get run.

    What a campaign's tasks (tasks/campaign_tasks.py) know of their
    children: ids, whether saved, outcomes once finished.
    """

    def __init__(self, store, batch_size=1):
        self.store = store
        # How many children one dispatch carries: the campaign starts
        # them in batches of this size.
        self.batch_size = batch_size

    @staticmethod
    def child_id(campaign_id, target):
        """The id of ``campaign_id``'s child for ``target``."""
        return persistence.child_id(campaign_id, target)

    def saved(self, child_ids):
        """Which of ``child_ids`` were created already."""
        return set(self.store.flow_states(child_ids))

    def finished(self, child_ids, result_atom):
        """``{child_id: {'outcome', 'reason'}}`` of the finished ones.

        :param result_atom: the child atom whose result is the outcome.
        """
        return outcomes.child_outcomes(
            self.store, {child: state for child, state in
                         self.store.flow_states(child_ids).items()
                         if state in FINISHED}, result_atom)

    def start(self, campaign_id, procedure, specs):
        """Create the records of new children, then dispatch them.

        :param specs: ``[(child_id, target, store)]`` of children not
            saved yet (the campaign read which are).
        """
        self.store.create_many([(
            child_id, '%s %s' % (procedure, target),
            {'procedure': procedure, 'parent': campaign_id,
             'target': target, 'kind': 'child'},
            factories.CHILD_FACTORY,
            {'procedure': procedure, 'target_id': target}, store)
            for child_id, target, store in specs])
        self._dispatch([child_id for child_id, _, _ in specs])

    def dispatch_lost(self, child_ids):
        """Dispatch again the saved children that are neither finished nor
        queued (lost with a crash or a board error); safe at any time.

        :returns: how many were dispatched.
        """
        # The board first: a child consumed between the two reads then
        # shows as finished, never as lost.
        queued = self._queued_ids()
        states_now = self.store.flow_states(child_ids)
        lost = [c for c in child_ids
                if c in states_now and states_now[c] not in FINISHED
                and c not in queued]
        if lost:
            self._dispatch(lost)
        return len(lost)

    def _queued_ids(self):
        return set()

    def _dispatch(self, child_ids):
        raise NotImplementedError


class BoardChildren(Children):
    """Children posted on the ZooKeeper board for any conductor to claim,
    several to a board job.

    Posting, claiming, checking the claim, consuming and handing over
    are paid per board job (issue 13): one conductor claims a batch
    whole and runs its children side by side (conductor/conductor.py),
    each keeping its own record, state and outcome; whoever claims the
    batch after a crash runs those that did not finish.
    """

    def __init__(self, backend):
        super().__init__(backend.store, conf_jobboard.targets_per_board_job(
            backend.conf))
        self._backend = backend

    def _queued_ids(self):
        return set(self._backend.board.jobs_by_book())

    def _dispatch(self, child_ids):
        for i in range(0, len(child_ids), self.batch_size):
            self._post(child_ids[i:i + self.batch_size])

    def _post(self, batch):
        """Post, leaving a post cut off by ZooKeeper to the lost-child check.

        Posting again at once could put the children on the board twice
        (the cut-off post may have arrived); the campaign's periodic check
        posts them again only when the board does not list them.
        """
        try:
            self._backend.post_batch(
                'batch of %d from %s' % (len(batch), batch[0]), batch)
        except Exception as e:
            if not zookeeper.connection_lost(e):
                raise
            LOG.warning('A post to the job board was cut off (%s); the '
                        'campaign posts it again if it did not arrive', e)


class LocalChildren(Children):
    """Children run by a thread pool of this process (local mode)."""

    def __init__(self, store, run_job, max_workers):
        super().__init__(store)
        self._run_job = run_job
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=max_workers, thread_name_prefix='child')
        self._futures = {}
        self._lock = threading.Lock()
        self._stopped = False

    def _queued_ids(self):
        return {c for c, f in self._futures.items() if not f.done()}

    def _dispatch(self, child_ids):
        # After a Ctrl-C the campaign may still start a child before the
        # process exits: it stays saved for "job resume" to dispatch,
        # instead of failing (and reverting) the campaign.
        with self._lock:
            if self._stopped:
                LOG.info('Stopping: %d children are left to job resume',
                         len(child_ids))
                return
            for child_id in child_ids:
                self._futures[child_id] = self._pool.submit(self._run_job,
                                                            child_id)

    def shutdown(self):
        """Drop the queued children; running ones end after their step."""
        with self._lock:
            self._stopped = True
            self._pool.shutdown(wait=False, cancel_futures=True)
