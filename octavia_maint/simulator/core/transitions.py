"""Named, configurable durations of the cloud's timed transitions.

This is the simulator's managed-state helper (what moto calls a state
manager): a model asks for a transition by name ("failover": PENDING_UPDATE
then ACTIVE) and the helper schedules its completion after that
transition's configured duration, with jitter. Tests change a duration per
transition through the control API instead of patching models, e.g. make
failovers take 30 simulated seconds, or certificate rotation instant.
"""

import dataclasses


@dataclasses.dataclass
class Duration:
    """How long a transition takes: ``seconds`` plus or minus ``jitter``."""

    seconds: float
    jitter: float = 0.0

    def __post_init__(self):
        if self.seconds < 0 or self.jitter < 0:
            raise ValueError('durations and jitter must not be negative')

    def sample(self, rng):
        if not self.jitter:
            return self.seconds
        return max(0.0, self.seconds + rng.uniform(-self.jitter, self.jitter))


class Transitions:
    """Schedules named transitions on an event queue after their durations."""

    def __init__(self, events, rng, durations):
        self._events = events
        self._rng = rng
        self._durations = dict(durations)

    def names(self):
        return sorted(self._durations)

    def set(self, name, seconds=None, jitter=None):
        """Change one transition's duration; unknown names are refused."""
        if name not in self._durations:
            raise KeyError(name)
        current = self._durations[name]
        self._durations[name] = Duration(
            current.seconds if seconds is None else float(seconds),
            current.jitter if jitter is None else float(jitter))

    def schedule(self, name, callback, *args):
        """Run ``callback(*args)`` when transition ``name`` completes.

        :returns: the simulated time it is due.
        """
        delay = self._durations[name].sample(self._rng)
        return self._events.call_later(delay, callback, *args)

    def to_dict(self):
        return {name: dataclasses.asdict(duration)
                for name, duration in sorted(self._durations.items())}
