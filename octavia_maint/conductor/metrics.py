"""Prometheus metrics of one conductor process.

Operators alert on a campaign that stalls (failovers in flight but none
finishing) or fails (failed jobs rising); the failover duration
histogram shows when the cloud slows down before the breaker trips.
The campaigns' progress, their breakers and the cloud-wide throttle are
read when Prometheus scrapes (:class:`CampaignCollector`), from the same
records ``job show`` reads, so the dashboard and the CLI never disagree.
``etc/grafana/octavia-maint.json`` charts every metric named here.
"""

import time

from oslo_log import log as logging
import prometheus_client
from prometheus_client import core as prometheus_core
from taskflow import states

from octavia_maint.common import constants
from octavia_maint.jobs import status
from octavia_maint.jobs import taskflow_private

LOG = logging.getLogger(__name__)

REGISTRY = prometheus_client.CollectorRegistry()
JOBS_CLAIMED = prometheus_client.Counter(
    'octavia_maint_jobs_claimed', 'Jobs this conductor claimed.',
    registry=REGISTRY)
JOBS_SUCCEEDED = prometheus_client.Counter(
    'octavia_maint_jobs_succeeded', 'Jobs that ended successfully here.',
    registry=REGISTRY)
JOBS_FAILED = prometheus_client.Counter(
    'octavia_maint_jobs_failed', 'Jobs that failed (and reverted) here.',
    registry=REGISTRY)
FAILOVERS_IN_FLIGHT = prometheus_client.Gauge(
    'octavia_maint_failovers_in_flight',
    'Failover steps running in this conductor.', registry=REGISTRY)
FAILOVER_DURATION = prometheus_client.Histogram(
    'octavia_maint_failover_duration_seconds',
    'Duration of failover steps, throttle wait included.',
    buckets=(1, 2, 5, 10, 30, 60, 120, 300, 600, 900, float('inf')),
    registry=REGISTRY)


def serve(host, port, backend, identity):
    """Start the /metrics endpoint; port 0 disables it."""
    if port:
        REGISTRY.register(CampaignCollector(backend, identity))
        prometheus_client.start_http_server(port, addr=host,
                                            registry=REGISTRY)


class CampaignCollector:
    """At each scrape: the campaigns this conductor runs, and the throttle.

    Only the conductor that claims a campaign reports it, so summing over
    conductors counts each campaign once. ``failovers in flight`` is the
    throttle's cloud-wide ledger (every conductor's failovers), set
    against ``max_concurrent_failovers``. A scrape while ZooKeeper or the
    database is away reports the throttle size alone and logs one line.
    """

    def __init__(self, backend, identity):
        self._backend = backend
        self._identity = identity

    def collect(self):
        throttle = self._backend.throttle
        yield prometheus_core.GaugeMetricFamily(
            'octavia_maint_throttle_max_concurrent_failovers',
            'Failovers the cloud-wide throttle lets run at once.',
            value=throttle.max_concurrent)
        try:
            in_flight = len(throttle.ledger_ids())
            campaigns = status.campaigns_held(self._backend, self._identity)
        except Exception as e:
            LOG.warning('Metrics: campaigns not read this scrape: %s', e)
            return
        yield prometheus_core.GaugeMetricFamily(
            'octavia_maint_throttle_failovers_in_flight',
            'Failovers of ours the cloud runs now (all conductors).',
            value=in_flight)
        targets = prometheus_core.GaugeMetricFamily(
            'octavia_maint_campaign_targets',
            'Targets of a campaign this conductor runs, by outcome.',
            labels=('campaign', 'procedure', 'outcome'))
        failures = prometheus_core.GaugeMetricFamily(
            'octavia_maint_campaign_breaker_failures',
            'Failovers of the campaign that ended in ERROR or timed out.',
            labels=('campaign',))
        opened = prometheus_core.GaugeMetricFamily(
            'octavia_maint_campaign_breaker_open',
            '1 once the campaign\'s circuit breaker stopped its failovers.',
            labels=('campaign',))
        for row in campaigns:
            for outcome, count in row['counts'].items():
                targets.add_metric((row['id'], row['procedure'], outcome),
                                   count)
            failures.add_metric((row['id'],), row['breaker_failures'])
            opened.add_metric((row['id'],), int(row['breaker_open']))
        yield targets
        yield failures
        yield opened


def record_job_end(flow_state):
    if flow_state == states.SUCCESS:
        JOBS_SUCCEEDED.inc()
    elif flow_state in (states.REVERTED, states.FAILURE):
        JOBS_FAILED.inc()


class FailoverMetricsListener(taskflow_private.ListenerHooks):
    """Times every failover step of an engine."""

    def __init__(self, engine):
        super().__init__(engine, task_listen_for=(states.RUNNING,
                                                  states.SUCCESS,
                                                  states.FAILURE),
                         flow_listen_for=())
        self._started = {}

    def task_state_changed(self, state, details):
        name = details.get('task_name')
        if name not in constants.FAILOVER_ATOMS:
            return
        if state == states.RUNNING:
            self._started[name] = time.monotonic()
            FAILOVERS_IN_FLIGHT.inc()
        elif name in self._started:
            FAILOVERS_IN_FLIGHT.dec()
            FAILOVER_DURATION.observe(time.monotonic() -
                                      self._started.pop(name))
