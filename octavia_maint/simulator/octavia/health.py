"""The health manager and the heartbeat key, without scanning the fleet.

What Octavia does (checked against its source): amphora agents sign their
heartbeats with ``[health_manager] heartbeat_key`` from their agent config.
The health manager's listener reads the key once, when it starts
(``UDPStatusGetter.__init__``), and drops heartbeats signed otherwise; it
fails over an amphora whose ``amphora_health.last_update`` is older than
``heartbeat_timeout`` (read at start too: not a mutable option). The
workers render an amphora's agent config from their configuration when
they boot it or on ``PUT /v2/octavia/amphorae/{id}/config``; the key is a
mutable option, so a SIGHUP makes the workers render the new one.

The model has the same parts: the key and timeout *deployed* to the
controllers' configuration files, the running health managers' key and
timeout (taken from the deployed ones by :meth:`HealthManager.restart`),
the workers' key (taken by :meth:`HealthManager.sighup_workers`), and each
amphora's key. An amphora is *stale* while its key differs from the
health managers' and is failed over once stale for ``heartbeat_timeout``.
Checks are events scheduled when an amphora becomes stale; only a restart
looks at every amphora. ``amphora_health`` rows are kept in a real table
(:mod:`.health_table`).
"""

import logging

LOG = logging.getLogger(__name__)


class HealthManager:
    """Tracks stale amphorae; calls ``on_stale(amphora)`` when one times out.

    ``on_stale`` returns False when it cannot act yet (the LB is busy); the
    amphora is then looked at again after ``recheck_interval``.
    """

    def __init__(self, clock, events, amphorae, table, key, settings,
                 on_stale):
        self._clock = clock
        self._events = events
        self._amphorae = amphorae
        self._table = table
        self._on_stale = on_stale
        self._recheck_interval = settings.health_check_interval
        self._heartbeat_interval = settings.heartbeat_interval
        self._deployed_key = key
        self._deployed_timeout = float(settings.heartbeat_timeout)
        self._health_manager_key = key
        self._workers_key = key
        self._timeout = self._deployed_timeout
        self._due = {}
        self._events.call_later(self._heartbeat_interval, self._heartbeats)

    # -- what happens to amphorae -------------------------------------------

    def amphora_booted(self, amphora_id):
        """A new amphora: its agent config carries the workers' key."""
        amphora = self._amphorae.update(amphora_id,
                                        heartbeat_key=self._workers_key)
        self._table.heard(amphora_id, self._clock.now())
        self._refresh(amphora)

    def amphora_configured(self, amphora_id):
        """The agent reloaded a config rendered with the workers' key."""
        self._refresh(self._amphorae.update(
            amphora_id, heartbeat_key=self._workers_key))

    def amphora_deleted(self, amphora_id):
        self._due.pop(amphora_id, None)
        self._table.remove(amphora_id)

    # -- what the operator does ---------------------------------------------

    def deploy(self, heartbeat_key=None, heartbeat_timeout=None):
        """Write new values into the controllers' configuration files.

        Nothing running reads them until :meth:`restart` or
        :meth:`sighup_workers`.
        """
        if heartbeat_key is not None:
            self._deployed_key = heartbeat_key
        if heartbeat_timeout is not None:
            if heartbeat_timeout <= 0:
                raise ValueError('heartbeat_timeout must be positive')
            self._deployed_timeout = float(heartbeat_timeout)

    def sighup_workers(self):
        """The workers re-read their (mutable) heartbeat key."""
        self._workers_key = self._deployed_key

    def restart(self):
        """Restart the health managers: they take the deployed key and
        timeout, and judge every amphora by them."""
        self._health_manager_key = self._deployed_key
        self._timeout = self._deployed_timeout
        for amphora in self._amphorae.all():
            self._refresh(amphora)
        LOG.debug("Health managers restarted; timeout %s s", self._timeout)

    # -- the health manager's own work --------------------------------------

    def _heartbeats(self):
        self._table.stamp(self._clock.now())
        self._events.call_later(self._heartbeat_interval, self._heartbeats)

    def _refresh(self, amphora):
        if amphora.heartbeat_key == self._health_manager_key:
            if amphora.heartbeat_stale_since is not None:
                self._amphorae.update(amphora.id, heartbeat_stale_since=None)
                self._table.accepted(amphora.id, self._clock.now())
            return
        since = amphora.heartbeat_stale_since
        if since is None:
            since = self._clock.now()
            self._amphorae.update(amphora.id, heartbeat_stale_since=since)
            self._table.rejected(amphora.id)
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
        """Whether keys match, never the keys themselves."""
        stale = sum(1 for a in self._amphorae.all()
                    if a.heartbeat_stale_since is not None)
        return {'heartbeat_timeout': self._timeout,
                'deployed_heartbeat_timeout': self._deployed_timeout,
                'heartbeat_interval': self._heartbeat_interval,
                'keys_equal': self._health_manager_key == self._workers_key,
                'deployed_key_running': (
                    self._deployed_key == self._health_manager_key
                    == self._workers_key),
                'stale_amphorae': stale}
