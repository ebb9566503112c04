"""The fleet report as a Prometheus text file for node_exporter.

node_exporter's textfile collector reads ``*.prom`` files from a
directory; a cron job or systemd timer runs ``octavia-maint fleet report
--prometheus-file /var/lib/node_exporter/textfile/octavia.prom``. The
file is written by prometheus-client's ``write_to_textfile``, which
writes a temporary file and renames it, so the collector never reads a
half-written file. The registry is our own, so the file holds only the
report's gauges (no process metrics of a short-lived command).
"""

import prometheus_client

PREFIX = 'octavia_maint_fleet_'


def write(report, path):
    """Write ``report`` (from :func:`fleet.build`) to ``path`` atomically."""
    registry = prometheus_client.CollectorRegistry()

    def gauge(name, help_text, value=None, labels=()):
        metric = prometheus_client.Gauge(PREFIX + name, help_text,
                                         labelnames=labels,
                                         registry=registry)
        if value is not None:
            metric.set(value)
        return metric

    by_status = gauge('load_balancers',
                      'Load balancers by provisioning status.',
                      labels=('provisioning_status',))
    for status, count in report['load_balancers_by_status'].items():
        by_status.labels(status).set(count)
    gauge('load_balancers_stuck',
          'Load balancers not ACTIVE for longer than stuck_after_seconds.',
          len(report['stuck_load_balancers']))
    gauge('stuck_after_seconds', 'Threshold of load_balancers_stuck.',
          report['stuck_after_seconds'])
    gauge('amphorae', 'Amphorae Octavia lists (not DELETED).',
          report['amphorae'])
    gauge('amphorae_error', 'Amphorae in ERROR.',
          len(report['amphorae_in_error']))
    gauge('amphorae_failover_stopped', 'Amphorae Octavia stopped failing '
          'over (FAILOVER_STOPPED, its failover threshold reached).',
          len(report['amphorae_failover_stopped']))
    gauge('load_balancers_without_amphorae', 'Amphora load balancers with '
          'no amphora at all.', len(report['load_balancers_without_amphorae']))
    gauge('amphorae_stale_image', 'Amphorae not on the newest image with '
          'the amphora tag.', report['stale_amphorae'])
    gauge('load_balancers_stale_image', 'Load balancers with at least one '
          'amphora not on the newest tagged image.',
          report['stale_load_balancers'])
    gauge('certificates_expiring', 'Amphora certificates expiring within '
          'cert_days days.', len(report['expiring_certificates']))
    gauge('cert_days', 'Threshold of certificates_expiring, in days.',
          report['cert_days'])
    gauge('failovers', 'Amphorae replaced within the failover window '
          '(a lower bound of failovers).', report['failovers'])
    gauge('failover_window_seconds', 'Window of failovers.',
          report['failover_window_seconds'])
    gauge('report_timestamp_seconds', 'When the report was made (UNIX '
          'time).').set_to_current_time()
    prometheus_client.write_to_textfile(path, registry)
