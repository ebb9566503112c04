"""Fault injection: added latency, 503s (at random, or the next GETs of
given load balancers), failovers that end in ERROR, amphora agents that
refuse a new configuration, amphorae that boot but pass no traffic.

Settings change at run time through ``PUT /_sim/faults``; the dispatcher
asks :meth:`Faults.admit` before every emulated API call and the Octavia
model asks :meth:`Faults.failover_fails` when a failover completes,
:meth:`Faults.config_refused` when an agent configuration is pushed and
:meth:`Faults.breaks_traffic` when amphorae boot or take a new key.
"""

import dataclasses
import math

API_SERVICES = ('load-balancer', 'compute', 'image')
_FIELDS = ('latency_ms', 'error_rate', 'error_services',
           'failover_error_rate', 'failover_error_lb_ids',
           'failover_conflict_lb_ids', 'config_refused_amphora_ids',
           'unavailable_lb_gets', 'bad_image_ids', 'bad_heartbeat_keys',
           'bad_ca_ids', 'bad_fraction')
# Slack for a fraction times a count that should be whole (10 * 0.1).
_EPSILON = 1e-9


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
    :param bad_image_ids: amphorae booted from these images come up
        ACTIVE but pass no traffic: their load balancer's listeners,
        pools and members report ERROR (a broken image build).
    :param bad_heartbeat_keys: the same for amphorae booted or configured
        with one of these heartbeat keys (shown masked).
    :param bad_ca_ids: the same for amphorae booted while the workers
        sign with one of these CAs (``PUT /_sim/certificates``).
    :param bad_fraction: the share of those boots that go bad (a flaky
        image): by count, not chance, so 0.1 makes exactly the 10th,
        20th, ... bad; the count restarts whenever the faults change.
    """

    latency_ms: float = 0.0
    error_rate: float = 0.0
    error_services: tuple = API_SERVICES
    failover_error_rate: float = 0.0
    failover_error_lb_ids: frozenset = frozenset()
    failover_conflict_lb_ids: frozenset = frozenset()
    config_refused_amphora_ids: frozenset = frozenset()
    unavailable_lb_gets: dict = dataclasses.field(default_factory=dict)
    bad_image_ids: frozenset = frozenset()
    bad_heartbeat_keys: frozenset = dataclasses.field(default=frozenset(),
                                                      repr=False)
    bad_ca_ids: frozenset = frozenset()
    bad_fraction: float = 1.0
    # Boots onto something bad so far (for bad_fraction).
    _bad_boots: int = dataclasses.field(default=0, init=False, repr=False)

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
        for name in ('bad_image_ids', 'bad_heartbeat_keys', 'bad_ca_ids'):
            setattr(self, name, frozenset(getattr(self, name)))
        self.bad_fraction = float(self.bad_fraction)
        if self.latency_ms < 0:
            raise ValueError('latency_ms must not be negative')
        for name in ('error_rate', 'failover_error_rate', 'bad_fraction'):
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

    def breaks_traffic(self, image_id, heartbeat_key, ca_id):
        """Whether amphorae booted (or configured) so pass no traffic.

        Counts the boots onto something bad: of those, the ones that make
        the running count cross a multiple of ``1 / bad_fraction``.
        """
        if not (image_id in self.bad_image_ids
                or heartbeat_key in self.bad_heartbeat_keys
                or ca_id in self.bad_ca_ids):
            return False
        seen = self._bad_boots
        self._bad_boots += 1
        return (math.floor((seen + 1) * self.bad_fraction + _EPSILON)
                > math.floor(seen * self.bad_fraction + _EPSILON))

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
                'unavailable_lb_gets': dict(self.unavailable_lb_gets),
                'bad_image_ids': sorted(self.bad_image_ids),
                # Keys go in, never out.
                'bad_heartbeat_keys': ['***'] * len(self.bad_heartbeat_keys),
                'bad_ca_ids': sorted(self.bad_ca_ids),
                'bad_fraction': self.bad_fraction}
