"""Tasks of heartbeat-key: plan the amphorae, configure one, make sure the
health manager hears it, fail it over when it does not.

When they run, the health managers have restarted with the new key and
drop every heartbeat signed with the old one; the workers render the new
key into an agent configuration (DESIGN.md section 4). Octavia shows
whether an amphora is heard only in ``amphora_health.last_update`` (see
``cloud/amphora_health.py``); a row that moved on since the child's
snapshot means the amphora signs with the new key. That is the fence that
makes a re-run after ``kill -9`` skip what already took effect.
"""

import math

from oslo_log import log as logging

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.common import image_drift
from octavia_maint.common import waiting
from octavia_maint.tasks import base
from octavia_maint.tasks import campaign_tasks
from octavia_maint.tasks import failover
from octavia_maint.tasks import traffic

LOG = logging.getLogger(__name__)

# An amphora configured with the new key is heard at its next heartbeat;
# one not heard within this many heartbeat intervals was not fixed.
HEARD_WITHIN_INTERVALS = 3
# Polls of amphora_health per heartbeat interval while waiting.
POLLS_PER_INTERVAL = 4

# A plan may use at most this share of the raised timeout: the rest covers
# the operator's delay between restarting the health managers and
# ``job continue``, and failing over what configure did not fix.
WINDOW_SHARE = 0.5
# Seconds one configure request takes, API round trip and worker cast.
CONFIGURE_SECONDS = 1.0


# Why an amphora that was not heard at first needs no failover.
HEARD_AFTER_ALL = 'heard with the new key after all'


def _skipped(reason):
    return {'action': constants.OUTCOME_SKIPPED, 'reason': reason}


def _result(amphora_id, outcome, reason):
    return {'amphora_id': amphora_id, 'outcome': outcome, 'reason': reason}


class SelectAmphoraeToConfigure(base.BaseTask):
    """List every live amphora: each must get the new key.

    Read-only, so safe to run again. It runs after the health managers
    restarted (the first gate), so an amphora booted meanwhile is listed
    too.
    """

    def execute(self):
        """:returns: ``[{'id', 'name', 'provisioning_status', 'action',
            'reason'}]`` ordered by load balancer, then amphora id.
        """
        amphorae = image_drift.live_amphorae(self.cloud.list_amphorae())
        amphorae.sort(key=lambda a: (a.get('loadbalancer_id') or '',
                                     a['id']))
        LOG.info('Planned a configure of %d amphorae', len(amphorae))
        return [{'id': a['id'], 'name': a.get('loadbalancer_id'),
                 'provisioning_status': a.get('status'),
                 'action': constants.PLAN_RUN,
                 'reason': 'push an agent configuration with the new key '
                           '(%s of load balancer %s)'
                           % (a.get('role'), a.get('loadbalancer_id'))}
                for a in amphorae]


class SnapshotAmphoraHeartbeat(base.BaseTask):
    """Record the amphora's load balancer and its last accepted heartbeat.

    Read-only, so safe to run again; once saved, the snapshot is what the
    later steps compare ``amphora_health`` against, and its load
    balancer's status tree what a fallback failover's data-plane check
    compares with (``tasks/traffic.py``).
    """

    def execute(self, amphora_id, verify_traffic=True):
        """:param verify_traffic: read the load balancer's status tree.
        :returns: ``{'deleted', 'loadbalancer_id', 'last_update',
            'status_tree'}``.
        """
        try:
            amphora = self.cloud.get_amphora(amphora_id)
        except exceptions.NotFound:
            amphora = {'status': constants.DELETED}
        if amphora['status'] == constants.DELETED:
            return {'deleted': True, 'loadbalancer_id': None,
                    'last_update': None, 'status_tree': None}
        heard = self.cloud.amphora_heartbeats([amphora_id])[amphora_id]
        lb_id = amphora.get('loadbalancer_id')
        return {'deleted': False, 'loadbalancer_id': lb_id,
                'last_update': heard,
                'status_tree': (traffic.read_tree(self.cloud, lb_id)
                                if verify_traffic and lb_id else None)}


def heard_since(cloud, amphora_id, snapshot):
    """Whether the health manager accepted a heartbeat after ``snapshot``."""
    now = cloud.amphora_heartbeats([amphora_id])[amphora_id]
    return now is not None and (snapshot['last_update'] is None
                                or now > snapshot['last_update'])


def amphora_exists(cloud, amphora_id):
    try:
        return cloud.get_amphora(amphora_id)['status'] != constants.DELETED
    except exceptions.NotFound:
        return False


class ConfigureAmphora(base.BaseTask):
    """Make Octavia push a fresh agent configuration (the new key).

    Holds a slot of the cloud-wide throttle while it asks, so a wave over
    thousands of amphorae does not flood the workers. Safe to run again:
    it does nothing when the amphora is gone or was heard since the
    snapshot (the configure already took effect). A configure in flight
    during a crash may be pushed twice; that is harmless (the agent gets
    the same configuration again). Nothing to revert: the old key is gone
    from the controllers, an agent configuration cannot be taken back.
    """

    def execute(self, amphora_id, amphora_snapshot):
        """:returns: ``{'action': 'configured'|'already-heard'|'skipped',
            'reason'}``.
        """
        if amphora_snapshot['deleted']:
            return _skipped('deleted before the configure')
        with self.job.throttle.slot():
            if not amphora_exists(self.cloud, amphora_id):
                return _skipped('deleted meanwhile')
            if heard_since(self.cloud, amphora_id, amphora_snapshot):
                return {'action': constants.ACTION_ALREADY_HEARD,
                        'reason': 'already heard with the new key'}
            self.job.check_active()
            try:
                self.cloud.configure_amphora(amphora_id)
            except exceptions.NotFound:
                return _skipped('deleted meanwhile')
        LOG.info('Configure of amphora %s issued', amphora_id)
        return {'action': constants.ACTION_CONFIGURED,
                'reason': 'configure issued'}


class WaitForAmphoraHeartbeat(base.BaseTask):
    """Wait until the health manager accepts a heartbeat of the amphora.

    Read-only, so safe to run again (the wait starts over).
    """

    def execute(self, amphora_id, amphora_snapshot, configure_outcome,
                heartbeat_interval):
        """:returns: True when heard within ``HEARD_WITHIN_INTERVALS``
            heartbeat intervals, else False.
        """
        if configure_outcome['action'] == constants.OUTCOME_SKIPPED:
            return False
        if configure_outcome['action'] == constants.ACTION_ALREADY_HEARD:
            return True
        window = HEARD_WITHIN_INTERVALS * heartbeat_interval
        try:
            with self.job.waiting('a heartbeat of amphora %s signed with the '
                                  'new key' % amphora_id, window):
                return waiting.wait_until(
                    lambda: heard_since(self.cloud, amphora_id,
                                        amphora_snapshot),
                    interval=float(heartbeat_interval) / POLLS_PER_INTERVAL,
                    timeout=window, check=self.job.check_active)
        except exceptions.WaitTimeout:
            LOG.warning('Amphora %s was not heard within %s s of its '
                        'configure', amphora_id, window)
            return False


class FailoverUnheardAmphora(base.BaseTask):
    """Fail over the amphora when configure did not fix it.

    Done by us, throttled, before the health managers' raised timeout
    runs out, instead of by them all at once. A failover cannot be undone,
    so there is no revert. Safe to run again: it issues nothing when the
    amphora is gone (our failover already replaced it) or is heard now;
    PENDING_UPDATE means a failover is in flight: it waits instead.
    Throttle, breaker and fence: :class:`failover.FencedFailover`.
    """

    def execute(self, campaign_id, amphora_id, amphora_snapshot,
                configure_outcome, heartbeat_heard):
        """:returns: the target's outcome ``{'amphora_id', 'outcome',
            'reason'}``.

        :raises CircuitOpen: the campaign had too many failed failovers.
        :raises FailoverFailed: the load balancer went ERROR or timed out.
        """
        if heartbeat_heard:
            return _result(amphora_id, constants.OUTCOME_SUCCEEDED,
                           'heard with the new key (%s)'
                           % configure_outcome['reason'])
        if configure_outcome['action'] == constants.OUTCOME_SKIPPED:
            return _result(amphora_id, constants.OUTCOME_SKIPPED,
                           configure_outcome['reason'])
        lb_id = amphora_snapshot['loadbalancer_id']
        if not lb_id:
            raise exceptions.VerificationFailed(
                lb_id=None, reason='spare amphora %s was not heard after its '
                                   'configure' % amphora_id)
        decision, reason = failover.FencedFailover(
            self.job, self.cloud, campaign_id, lb_id,
            status_before=amphora_snapshot.get('status_tree')).run(
                lambda: self._decide(amphora_id, lb_id, amphora_snapshot),
                lambda: self.cloud.failover_amphora(amphora_id),
                whole=False)
        if decision == failover.SKIP:
            outcome = (constants.OUTCOME_SUCCEEDED if reason == HEARD_AFTER_ALL
                       else constants.OUTCOME_SKIPPED)
            return _result(amphora_id, outcome, reason)
        if decision == failover.FAILOVER:
            LOG.info('Amphora %s failed over: configure did not fix it',
                     amphora_id)
        return _result(amphora_id, constants.OUTCOME_SUCCEEDED,
                       'failed over: not heard after its configure (%s)'
                       % reason)

    def _decide(self, amphora_id, lb_id, amphora_snapshot):
        if not amphora_exists(self.cloud, amphora_id):
            return failover.DONE, 'amphora replaced'
        if heard_since(self.cloud, amphora_id, amphora_snapshot):
            return failover.SKIP, HEARD_AFTER_ALL
        _lb, verdict = failover.load_balancer_or_verdict(self.cloud, lb_id)
        return verdict or (failover.FAILOVER, 'amphora failover issued')


def configure_window(params, amphorae, throttle):
    """How long configuring ``amphorae`` takes, against the raised timeout.

    Each child holds one of the campaign's window of children while it
    configures and waits for the next heartbeat; configure requests are
    also spaced by ``[throttle] min_interval_seconds`` cloud-wide.

    :returns: ``{'rounds', 'needed_seconds', 'allowed_seconds'}``.
    """
    in_flight = campaign_tasks.campaign_window(
        throttle.max_concurrent_failovers)
    rounds = math.ceil(amphorae / in_flight)
    per_child = CONFIGURE_SECONDS + params['heartbeat_interval']
    needed = max(rounds * per_child,
                 amphorae * throttle.min_interval_seconds)
    if amphorae:
        # The last amphorae may need every interval they are given.
        needed += ((HEARD_WITHIN_INTERVALS - 1)
                   * params['heartbeat_interval'])
    return {'rounds': rounds, 'needed_seconds': math.ceil(needed),
            'allowed_seconds': int(params['heartbeat_timeout'] * WINDOW_SHARE)}
