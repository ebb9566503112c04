"""Prometheus metrics of one conductor process.

Operators alert on a campaign that stalls (failovers in flight but none
finishing) or fails (failed jobs rising); the failover duration
histogram shows when the cloud slows down before the breaker trips.
"""

import time

import prometheus_client
from taskflow import states

from octavia_maint.common import constants
from octavia_maint.jobs import taskflow_private

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


def serve(host, port):
    """Start the /metrics endpoint; port 0 disables it."""
    if port:
        prometheus_client.start_http_server(port, addr=host,
                                            registry=REGISTRY)


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
