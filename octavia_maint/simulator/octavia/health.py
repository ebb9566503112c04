"""The health manager's heartbeat-key rule, without scanning the fleet.

Amphorae sign their heartbeats with a key; the health manager accepts only
its own key (read once, at its start) and fails over an amphora it has not
heard from for ``heartbeat_timeout``. The workers hold a key too: a new
amphora, or one whose agent config is re-rendered (``PUT .../config``),
gets the workers' key. So an amphora is *stale* while its key differs from
the health manager's, and is failed over once it has been stale for
``heartbeat_timeout``. Checks are events scheduled when an amphora becomes
stale; only a key or timeout change looks at every amphora.
"""

import logging

LOG = logging.getLogger(__name__)


class HealthManager:
    """Tracks stale amphorae; calls ``on_stale(amphora)`` when one times out.

    ``on_stale`` returns False when it cannot act yet (the LB is busy); the
    amphora is then looked at again after ``recheck_interval``.
    """

    def __init__(self, clock, events, amphorae, key, timeout,
                 recheck_interval, on_stale):
        self._clock = clock
        self._events = events
        self._amphorae = amphorae
        self._on_stale = on_stale
        self._recheck_interval = recheck_interval
        self._health_manager_key = key
        self._workers_key = key
        self._timeout = timeout
        self._due = {}

    def amphora_configured(self, amphora_id):
        """The amphora's agent now holds the workers' key."""
        self._refresh(self._amphorae.update(
            amphora_id, heartbeat_key=self._workers_key))

    def update(self, health_manager_key=None, workers_key=None,
               heartbeat_timeout=None):
        """Change keys or the timeout (an operator restarting services)."""
        if health_manager_key is not None:
            self._health_manager_key = health_manager_key
        if workers_key is not None:
            self._workers_key = workers_key
        if heartbeat_timeout is not None:
            if heartbeat_timeout <= 0:
                raise ValueError('heartbeat_timeout must be positive')
            self._timeout = float(heartbeat_timeout)
        for amphora in self._amphorae.all():
            self._refresh(amphora)
        LOG.debug("Health manager keys or timeout changed; timeout %s s",
                  self._timeout)

    def _refresh(self, amphora):
        if amphora.heartbeat_key == self._health_manager_key:
            self._amphorae.update(amphora.id, heartbeat_stale_since=None)
            return
        since = amphora.heartbeat_stale_since
        if since is None:
            since = self._clock.now()
            self._amphorae.update(amphora.id, heartbeat_stale_since=since)
        self._schedule(amphora.id, since + self._timeout)

    def _schedule(self, amphora_id, when):
        if self._due.get(amphora_id, float('inf')) <= when:
            return
        self._due[amphora_id] = when
        self._events.call_at(when, self._check, amphora_id, when)

    def _check(self, amphora_id, when):
        if self._due.get(amphora_id) != when:
            return  # superseded by an earlier or later check
        del self._due[amphora_id]
        amphora = self._amphorae.get(amphora_id)
        if amphora is None or amphora.heartbeat_stale_since is None:
            return
        due = amphora.heartbeat_stale_since + self._timeout
        if self._clock.now() < due:
            self._schedule(amphora_id, due)
        elif not self._on_stale(amphora):
            self._schedule(amphora_id,
                           self._clock.now() + self._recheck_interval)

    def summary(self):
        stale = sum(1 for a in self._amphorae.all()
                    if a.heartbeat_stale_since is not None)
        return {'heartbeat_timeout': self._timeout,
                'keys_equal': self._health_manager_key == self._workers_key,
                'stale_amphorae': stale}
