"""One failover, throttled, fenced and counted: what every procedure shares.

rotate-image fails load balancers over, evacuate-host amphorae; both must
hold a slot of the cloud-wide throttle for the whole failover, check the
campaign's circuit breaker before issuing one and feed it when one ends in
ERROR or times out, and never issue a second failover after a crash. The
caller says *what* to fail over with two callables: ``decide`` looks at
the cloud and answers one of the decisions below, ``issue`` makes the API
call. Looking again right before issuing, inside the slot, is the fence:
after ``kill -9`` the re-run sees PENDING_UPDATE (our failover in flight:
WAIT) or the replaced amphorae (DONE) and issues nothing. Once the slot
is given back, the data-plane check (``tasks/traffic.py``) waits until
the load balancer serves as it did before, when its caller recorded the
status tree from before.
"""

import time

from oslo_log import log as logging
from oslo_utils import timeutils

from octavia_maint.common import constants
from octavia_maint.common import estimates
from octavia_maint.common import exceptions
from octavia_maint.common import image_drift
from octavia_maint import conf
from octavia_maint.tasks import traffic

LOG = logging.getLogger(__name__)
CONF = conf.CONF

SKIP = 'skip'            # nothing to do (current, deleted, not eligible)
DONE = 'done'            # already failed over (before a crash)
WAIT = 'wait'            # the load balancer is busy: wait, then decide again
FAILOVER = 'failover'    # issue the failover now
FINISHED = (SKIP, DONE)

# A 404 after the decision: someone deleted the load balancer while we
# worked on it. Nothing is left to do for it, and nothing failed.
DELETED_MEANWHILE = 'load balancer deleted meanwhile'


def load_balancer_or_verdict(cloud, lb_id):
    """Look at the load balancer first, as every ``decide`` does.

    :returns: ``(lb, None)``; or ``(None, (SKIP, reason))`` when it is
        gone, ``(None, (WAIT, reason))`` while it is busy (PENDING_*:
        perhaps our own failover, in flight since before a crash).
    """
    lb = find_load_balancer(cloud, lb_id)
    if lb is None:
        return None, (SKIP, DELETED_MEANWHILE)
    status = lb['provisioning_status']
    if status.startswith('PENDING_'):
        return None, (WAIT, 'load balancer is %s' % status)
    return lb, None


def find_load_balancer(cloud, lb_id):
    """The load balancer, or None once it was deleted (HTTP 404)."""
    try:
        return cloud.get_load_balancer(lb_id)
    except exceptions.NotFound:
        return None


def deleted_outcome(lb_id):
    """The outcome of a target whose load balancer went away mid-way."""
    return {'lb_id': lb_id, 'outcome': constants.OUTCOME_SKIPPED,
            'reason': DELETED_MEANWHILE}


class FencedFailover:
    """Run one failover of (something of) load balancer ``lb_id``."""

    def __init__(self, job, cloud, campaign_id, lb_id, status_before=None,
                 topology=None):
        """:param status_before: the load balancer's status tree saved
            before its failover (its snapshot), or None: the data-plane
            check is off.
        :param topology: the load balancer's topology as its snapshot saw
            it (a failover keeps it), or None: the amphorae are listed
            after the failover to tell it, for the failover history.
        """
        self._job = job
        self._cloud = cloud
        self._campaign_id = campaign_id
        self._lb_id = lb_id
        self._status_before = status_before
        self._topology = topology
        # The duration of the failover this run issued, once it ended.
        self._took = None

    def run(self, decide, issue, whole=True, look_first=True):
        """Fail over once, unless ``decide`` says it is not (or no more)
        needed; then, when this call or an earlier run (before a crash)
        failed over, check that the load balancer serves as before.

        :param decide: ``() -> (decision, reason)``, looking at the cloud.
        :param issue: ``() -> None``, the API call; raises ``Conflict`` when
            Octavia finds the load balancer busy (HTTP 409).
        :param whole: the load balancer fails over (not one amphora of
            it): its duration goes to the cloud's failover history, which
            estimates load balancer failovers by topology.
        :param look_first: decide once before taking a throttle slot, so
            a target with nothing left to do takes none. A caller whose
            previous step just read the target (a snapshot) and found it
            needing its failover passes False: the look inside the slot,
            the fence, still catches the rare change since, and each look
            costs the cloud and the conductor two API calls (issue 13).
        :returns: ``(decision, reason)``: FAILOVER when this call failed
            over, else DONE or SKIP.
        :raises CircuitOpen: the campaign had too many failed failovers.
        :raises FailoverFailed: ERROR, a timeout, or a load balancer that
            stayed busy for ``[throttle] failover_timeout``.
        :raises TrafficNotRestored: it does not serve as before within
            ``[verify] settle_seconds`` (:func:`traffic.settle`).
        """
        self._took = None   # a run per amphora may share this object
        decision, reason = self._fail_over(decide, issue, whole,
                                           look_first)
        if self._took is not None:
            # Out of the slot: a write queued for the database must not
            # keep the next failover from starting in it.
            self._remember(self._took)
        if decision != SKIP:
            # Outside the slot: no failover of the cloud waits for it.
            traffic.settle(self._job, self._cloud, self._lb_id,
                           self._status_before,
                           self._job.breaker(self._campaign_id,
                                             CONF.throttle.max_failures))
        return decision, reason

    def _fail_over(self, decide, issue, whole, look_first):
        """The failover, in a throttle slot: ``(decision, reason)``."""
        if look_first:
            decision, reason = decide()
            if decision in FINISHED:
                return decision, reason
        breaker = self._job.breaker(self._campaign_id,
                                    CONF.throttle.max_failures)
        busy_until = time.monotonic() + CONF.throttle.failover_timeout
        self._phase(constants.PHASE_WAITING_FOR_SLOT)
        failing_over = False
        try:
            with self._job.throttle.slot() as slot:
                while True:
                    decision, reason = decide()
                    if decision in FINISHED:
                        return decision, reason
                    if decision == FAILOVER:
                        if not self._issue(slot, issue, breaker,
                                           busy_until):
                            continue
                        failing_over = True   # saved before the call
                    if not failing_over:
                        self._phase(constants.PHASE_FAILING_OVER)
                        failing_over = True
                    if not self._wait(breaker,
                                      timed=whole and decision == FAILOVER):
                        return SKIP, DELETED_MEANWHILE
                    if decision == FAILOVER:
                        return decision, reason
        finally:
            if not failing_over:
                self._phase(None)

    def _phase(self, phase):
        """Say, for ``job show``, whether this target waits for a slot of
        the throttle or holds one and fails over (None: neither).

        Each is a write of the job's state, so there are two per
        failover, and "failing over" shares its write with the note that
        the job acted (:meth:`_issue`). It is not cleared after the
        failover, as the target's last step (a short verify) follows and
        its child then ends.
        """
        self._job.record(**self._phase_fields(phase))

    @staticmethod
    def _phase_fields(phase):
        return {constants.FAILOVER_PHASE: phase and {
            'phase': phase,
            'since': timeutils.utcnow().isoformat(timespec='seconds')}}

    def _issue(self, slot, issue, breaker, busy_until):
        """Issue the failover; False when Octavia said the LB is busy or
        gone (the next decision sees which)."""
        if breaker.is_open():
            raise exceptions.CircuitOpen(
                lb_id=self._lb_id, campaign_id=self._campaign_id,
                failures=breaker.failures, limit=breaker.limit)
        # The last fence before the one action that cannot be undone: a
        # conductor that froze past its session must not act any more.
        self._job.check_active()
        try:
            # Issued only while the cloud runs fewer failovers of ours
            # than the throttle allows, those of a killed conductor too.
            with slot.admit(self._lb_id, self._cloud,
                            self._job.check_active):
                # One save before the call, the last step before it: that
                # the job acted, and (for job show) that it fails over.
                self._job.note_change(
                    'failover', self._lb_id,
                    **self._phase_fields(constants.PHASE_FAILING_OVER))
                issue()
        except exceptions.NotFound:
            return False
        except exceptions.Conflict:
            remaining = busy_until - time.monotonic()
            if remaining <= 0:
                raise exceptions.FailoverFailed(
                    lb_id=self._lb_id,
                    reason='the load balancer stayed busy (HTTP 409) for '
                           '%ss' % CONF.throttle.failover_timeout)
            LOG.info('Load balancer %s is busy; waiting, then re-checking',
                     self._lb_id)
            try:
                self._cloud.wait_for_load_balancer(self._lb_id,
                                                   timeout=remaining)
            except exceptions.NotFound:
                pass
            return False
        return True

    def _wait(self, breaker, timed):
        """Wait for the load balancer; False when it was deleted.

        :param timed: this run issued a load balancer failover, so its
            duration from now is the failover's (one found in flight
            after a crash is not), and goes to the cloud's history once
            the slot is given back (:meth:`run`).
        """
        # Polling a failover that surely is not done yet only costs the
        # cloud and this conductor: sleep through most of a typical one.
        durations = self._job.failover_durations
        started = time.monotonic()
        try:
            self._cloud.wait_for_load_balancer(
                self._lb_id, timeout=CONF.throttle.failover_timeout,
                delay=durations.quiet_period(),
                interval=durations.poll_interval(
                    CONF.cloud.status_poll_interval))
        except exceptions.NotFound:
            LOG.info('Load balancer %s was deleted during its failover',
                     self._lb_id)
            return False
        except (exceptions.ResourceInError, exceptions.CloudTimeout) as e:
            breaker.record_failure()
            raise exceptions.FailoverFailed(lb_id=self._lb_id, reason=str(e))
        took = time.monotonic() - started
        durations.record(took)
        if timed:
            self._took = took
        return True

    def _remember(self, seconds):
        """Keep the failover's duration with its topology, which only the
        amphorae show (estimates differ per topology)."""
        topology = self._topology
        if topology is None:
            try:
                topology = estimates.topology_of(image_drift.live_amphorae(
                    self._cloud.list_amphorae(loadbalancer_id=self._lb_id)))
            except exceptions.CloudError as e:
                # The failover succeeded; its statistics must not fail it.
                LOG.warning('Failover of %s not added to the history: %s',
                            self._lb_id, e)
                return
        self._job.failover_history.record(topology, seconds,
                                          campaign_id=self._campaign_id)
