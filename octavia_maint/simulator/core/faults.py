"""Fault injection: added latency, 503s (at random, or the next GETs of
given load balancers), failovers that end in ERROR, amphora agents that
refuse a new configuration.

Settings change at run time through ``PUT /_sim/faults``; the dispatcher
asks :meth:`Faults.admit` before every emulated API call and the Octavia
model asks :meth:`Faults.failover_fails` when a failover completes and
:meth:`Faults.config_refused` when an agent configuration is pushed.
"""

import dataclasses

API_SERVICES = ('load-balancer', 'compute', 'image')
_FIELDS = ('latency_ms', 'error_rate', 'error_services',
           'failover_error_rate', 'failover_error_lb_ids',
           'failover_conflict_lb_ids', 'config_refused_amphora_ids',
           'unavailable_lb_gets')


@dataclasses.dataclass
class Faults:
    """The current fault settings.

    :param latency_ms: added to every emulated API call.
    :param error_rate: probability that a call answers 503.
    :param error_services: service types the 503s apply to (identity is
        left alone by default so that clients can still authenticate).
    :param failover_error_rate: probability that a failover ends in ERROR.
    :param failover_error_lb_ids: LBs whose failovers always end in ERROR.
    :param failover_conflict_lb_ids: LBs whose failover requests answer
        409 although they look ACTIVE (another controller holds them, as
        when an operator's own script updates them in a loop).
    :param config_refused_amphora_ids: amphorae whose agent does not take
        a pushed configuration (an image too old for the config API, or an
        agent the workers cannot reach): they keep their heartbeat key.
    :param unavailable_lb_gets: ``{lb_id: n}``: the next ``n`` GETs of
        that load balancer answer 503, whatever ``error_rate`` says; a
        deterministic outage of one target, for tests that need to know
        which load balancer meets it and for how long.
    """

    latency_ms: float = 0.0
    error_rate: float = 0.0
    error_services: tuple = API_SERVICES
    failover_error_rate: float = 0.0
    failover_error_lb_ids: frozenset = frozenset()
    failover_conflict_lb_ids: frozenset = frozenset()
    config_refused_amphora_ids: frozenset = frozenset()
    unavailable_lb_gets: dict = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        self.latency_ms = float(self.latency_ms)
        self.error_rate = float(self.error_rate)
        self.failover_error_rate = float(self.failover_error_rate)
        self.error_services = tuple(self.error_services)
        self.failover_error_lb_ids = frozenset(self.failover_error_lb_ids)
        self.failover_conflict_lb_ids = frozenset(
            self.failover_conflict_lb_ids)
        self.config_refused_amphora_ids = frozenset(
            self.config_refused_amphora_ids)
        self.unavailable_lb_gets = {
            lb_id: int(count)
            for lb_id, count in dict(self.unavailable_lb_gets).items()}
        if any(count < 0 for count in self.unavailable_lb_gets.values()):
            raise ValueError('unavailable_lb_gets counts must not be '
                             'negative')
        if self.latency_ms < 0:
            raise ValueError('latency_ms must not be negative')
        for name in ('error_rate', 'failover_error_rate'):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError('%s must be between 0 and 1' % name)

    def updated(self, changes):
        """A copy with ``changes`` applied; unknown keys raise ValueError."""
        unknown = set(changes) - set(_FIELDS)
        if unknown:
            raise ValueError('unknown fault settings: %s'
                             % ', '.join(sorted(unknown)))
        return dataclasses.replace(self, **changes)

    def admit(self, service_name, rng, method=None, lb_id=None):
        """:returns: ``(latency_seconds, inject_503)`` for one API call.

        :param method: the call's HTTP method.
        :param lb_id: the load balancer in the call's path, if any.
        """
        if method == 'GET' and self.unavailable_lb_gets.get(lb_id):
            self.unavailable_lb_gets[lb_id] -= 1
            return self.latency_ms / 1000.0, True
        fail = (service_name in self.error_services and self.error_rate > 0
                and rng.random() < self.error_rate)
        return self.latency_ms / 1000.0, fail

    def failover_fails(self, lb_id, rng):
        return lb_id in self.failover_error_lb_ids or (
            self.failover_error_rate > 0
            and rng.random() < self.failover_error_rate)

    def failover_conflicts(self, lb_id):
        return lb_id in self.failover_conflict_lb_ids

    def config_refused(self, amphora_id):
        return amphora_id in self.config_refused_amphora_ids

    def to_dict(self):
        return {'latency_ms': self.latency_ms,
                'error_rate': self.error_rate,
                'error_services': list(self.error_services),
                'failover_error_rate': self.failover_error_rate,
                'failover_error_lb_ids': sorted(self.failover_error_lb_ids),
                'failover_conflict_lb_ids': sorted(
                    self.failover_conflict_lb_ids),
                'config_refused_amphora_ids': sorted(
                    self.config_refused_amphora_ids),
                'unavailable_lb_gets': dict(self.unavailable_lb_gets)}
