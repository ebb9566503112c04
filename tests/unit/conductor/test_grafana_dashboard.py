"""etc/grafana's dashboard charts only metrics the code exports.

A renamed metric would leave a panel silently empty: every
``octavia_maint_*`` name in the dashboard's queries must be a sample the
conductor's registry (its campaign collector included) or the fleet
report's text file exports.
"""

import json
import os
import re

from prometheus_client import parser

from octavia_maint.conductor import metrics
from octavia_maint.jobs import status
from octavia_maint.report import prometheus
from octavia_maint.runtime import throttle

DASHBOARD = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'etc',
                         'grafana', 'octavia-maint.json')
REPORT = {'load_balancers_by_status': {'ACTIVE': 3}, 'amphorae': 4,
          'stuck_load_balancers': [], 'stuck_after_seconds': 3600,
          'amphorae_in_error': [], 'amphorae_failover_stopped': [],
          'load_balancers_without_amphorae': [], 'stale_amphorae': 1,
          'stale_load_balancers': 1, 'expiring_certificates': [],
          'cert_days': 30, 'failovers': 0, 'failover_window_seconds': 3600}


class FakeBackend:
    throttle = throttle.LocalThrottle(max_concurrent=5)


def sample_names(families):
    names = set()
    for family in families:
        names.add(family.name)
        names.update(sample.name for sample in family.samples)
    return names


def exported(monkeypatch, tmp_path):
    monkeypatch.setattr(status, 'campaigns_held', lambda backend, me: [
        {'id': 'c1', 'procedure': 'rotate-image',
         'counts': {'succeeded': 2, 'pending': 1},
         'breaker_failures': 0, 'breaker_open': False}])
    names = sample_names(metrics.REGISTRY.collect())
    names |= sample_names(
        metrics.CampaignCollector(FakeBackend(), 'me').collect())
    path = tmp_path / 'fleet.prom'
    prometheus.write(REPORT, str(path))
    names |= sample_names(parser.text_string_to_metric_families(
        path.read_text()))
    return names


def queried():
    with open(DASHBOARD) as f:
        dashboard = json.load(f)
    return {name for panel in dashboard['panels']
            for target in panel['targets']
            for name in re.findall(r'octavia_maint_\w+', target['expr'])}


def test_every_charted_metric_is_exported(monkeypatch, tmp_path):
    charted = queried()
    assert len(charted) >= 15
    missing = charted - exported(monkeypatch, tmp_path)
    assert not missing, sorted(missing)


def test_the_dashboard_covers_campaigns_throttle_breaker_and_fleet():
    charted = queried()
    for needed in ('octavia_maint_campaign_targets',
                   'octavia_maint_throttle_failovers_in_flight',
                   'octavia_maint_throttle_max_concurrent_failovers',
                   'octavia_maint_failover_duration_seconds_bucket',
                   'octavia_maint_campaign_breaker_open',
                   'octavia_maint_fleet_amphorae_stale_image',
                   'octavia_maint_fleet_certificates_expiring'):
        assert needed in charted
