"""The simulated cloud: every service backend plus the shared machinery.

One :class:`Cloud` lives as long as its simulator; a reset rebuilds its
contents in place (so handlers and the ticker keep their reference). One
re-entrant lock guards all of it: each request holds it only to advance due
events and run one model call, which keeps requests short enough for 50
concurrent clients.
"""

import random
import threading

from octavia_maint.simulator import fleet
from octavia_maint.simulator.core import clock as sim_clock
from octavia_maint.simulator.core import events as sim_events
from octavia_maint.simulator.core import faults as sim_faults
from octavia_maint.simulator.core import ids as sim_ids
from octavia_maint.simulator.core import stats as sim_stats
from octavia_maint.simulator.core import transitions as sim_transitions


class Cloud:
    """The backends (``identity``, ``image``, ``compute``, ``octavia``)
    and the parts they share.

    :param catalog_entries: ``(type, name, path)`` of the published services.
    :param octavia_db: the :class:`OctaviaDatabase` holding the amphora
        table; it outlives resets, so its URL stays valid.
    """

    def __init__(self, spec, catalog_entries, octavia_db):
        self.lock = threading.RLock()
        self.catalog_entries = tuple(catalog_entries)
        self.octavia_db = octavia_db
        with self.lock:
            self._build(spec)

    def _build(self, spec):
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.ids = sim_ids.IdFactory(self.rng)
        self.clock = sim_clock.SimClock(spec.time_scale)
        self.events = sim_events.EventQueue(self.clock)
        self.transitions = sim_transitions.Transitions(
            self.events, self.rng, fleet.transition_durations(spec))
        self.faults = sim_faults.Faults()
        self.stats = sim_stats.Stats()
        self.audit = sim_stats.AuditLog()
        fleet.build(self, spec)

    def reset(self, spec):
        """Rebuild from ``spec``; tokens of users who still exist stay."""
        with self.lock:
            previous = dict(self.__dict__)
            try:
                self._build(spec)
            except Exception:
                # Never leave a half-built cloud behind a failed reset.
                self.__dict__.update(previous)
                raise
            self.identity.adopt_tokens(previous['identity'])

    def advance(self):
        """Fire the transitions that are due, then write what changed to
        the Octavia database (call with the lock held)."""
        self.events.run_due()
        self.octavia.health_table.flush()

    def close(self):
        """Remove the Octavia database."""
        self.octavia_db.close()

    def summary(self):
        """What ``GET /_sim/fleet`` shows."""
        result = self.octavia.summary()
        result.update(self.compute.summary())
        result['images'] = self.image.summary()
        result['time'] = {'now': self.clock.now(),
                          'scale': self.clock.scale}
        return result
