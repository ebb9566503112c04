"""How long failovers take on this cloud, and what follows for a campaign.

A dry run, a rehearsal and ``job show`` all answer "how long will it
take" from the same figures: the median and spread of this cloud's own
recent failovers, per topology (an ACTIVE_STANDBY failover builds two
amphorae and takes longer than a SINGLE one), and ``[throttle]
expected_failover_seconds`` only where there is no history yet. The
arithmetic and its wording live here, with no I/O, so the three agree
and a test can drive them with a clock of its own.
"""

import dataclasses
import math
import statistics

TOPOLOGY_SINGLE = 'SINGLE'
TOPOLOGY_ACTIVE_STANDBY = 'ACTIVE_STANDBY'
TOPOLOGIES = (TOPOLOGY_SINGLE, TOPOLOGY_ACTIVE_STANDBY)
# Amphora roles that only an ACTIVE_STANDBY load balancer has.
PAIR_ROLES = ('MASTER', 'BACKUP')


@dataclasses.dataclass(frozen=True)
class Figures:
    """The recent failovers of one topology (or all) on this cloud."""

    count: int
    median_seconds: float
    p90_seconds: float


def summarize(seconds):
    """:class:`Figures` of failover durations, or None without any."""
    seconds = sorted(seconds)
    if not seconds:
        return None
    # Nearest rank: the p90 of few samples is one that was observed.
    p90 = seconds[max(0, math.ceil(0.9 * len(seconds)) - 1)]
    return Figures(len(seconds), statistics.median(seconds), p90)


def topology_of(amphorae):
    """SINGLE or ACTIVE_STANDBY, from a load balancer's live amphorae.

    Octavia's load balancer API does not show the topology; the amphorae
    do: a pair has roles MASTER and BACKUP (and is two), a SINGLE load
    balancer's one amphora is STANDALONE.
    """
    if len(amphorae) > 1 or any(a.get('role') in PAIR_ROLES
                                for a in amphorae):
        return TOPOLOGY_ACTIVE_STANDBY
    return TOPOLOGY_SINGLE


class FailoverTimes:
    """Seconds per failover by topology: history, else the configured value.

    :param figures: ``topology -> Figures or None``; None for a topology
        means the cloud's failovers of every topology (targets whose
        topology the plan does not know).
    :param expected_seconds: ``[throttle] expected_failover_seconds``.
    """

    def __init__(self, figures, expected_seconds):
        self._figures = figures
        self._cache = {}
        self.expected_seconds = expected_seconds

    def figures(self, topology):
        if topology not in self._cache:
            self._cache[topology] = self._figures(topology)
        return self._cache[topology]

    def seconds(self, topology):
        """The median failover of ``topology``, or the configured value."""
        found = self.figures(topology)
        return found.median_seconds if found else self.expected_seconds

    def describe(self, topology):
        """Which figure an estimate used for ``topology``, in words."""
        found = self.figures(topology)
        what = '%s failover' % topology if topology else 'failover'
        if found is None:
            return ('no %s history: using [throttle] '
                    'expected_failover_seconds = %d'
                    % (what, self.expected_seconds))
        return ('estimated from the last %d %ss of this cloud: median %d s '
                '(p90 %d s)' % (found.count, what,
                                round(found.median_seconds),
                                round(found.p90_seconds)))

    def campaign_seconds(self, topologies, max_concurrent, min_interval):
        """How long failing over targets of ``topologies`` takes.

        ``max_concurrent`` run at once; at most one starts every
        ``min_interval`` seconds. The mean of the targets' medians times
        the rounds, so an estimate with no history is the configured
        value per round, as before there was any.

        :param topologies: one entry (a topology or None) per target.
        """
        topologies = list(topologies)
        if not topologies:
            return 0
        rounds = math.ceil(len(topologies) / max_concurrent)
        mean = sum(self.seconds(t) for t in topologies) / len(topologies)
        return max(round(rounds * mean),
                   round(len(topologies) * min_interval))

    def remaining_seconds(self, topologies, max_concurrent, min_interval):
        """The ETA of a running campaign with ``topologies`` left.

        Remaining targets / throttle x median: no term grows with time,
        so while failovers take what they took before, the ETA only goes
        down as targets finish. What the campaign observes adjusts it
        through the figures, which its own failovers join as they end.
        """
        topologies = list(topologies)
        work = sum(self.seconds(t) for t in topologies)
        return max(round(work / max_concurrent),
                   round(len(topologies) * min_interval))

    def notes(self, topologies):
        """The figures an estimate over ``topologies`` used, in words."""
        used = sorted(set(topologies), key=lambda t: t or '')
        text = '; '.join(self.describe(t) for t in used)
        return text[:1].upper() + text[1:] + '.'
