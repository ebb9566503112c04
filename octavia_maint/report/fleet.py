"""What ``octavia-maint fleet report`` says about the fleet, as plain data.

One listing of load balancers, one of amphorae and one image lookup
answer every question of the guide's *Monitoring* section:

* load balancers by provisioning status, and those not ACTIVE for longer
  than a threshold (judged by ``updated_at``: Octavia touches it on every
  status change, so a load balancer PENDING_* since long ago is stuck);
* amphorae in ERROR;
* image drift: amphorae not on the newest image with the amphora tag
  (the rule of :mod:`octavia_maint.common.image_drift`);
* certificates expiring within N days (``cert_expiration``);
* failovers in a recent window. Octavia keeps no failover history in its
  API, and a failover replaces the amphora by a new one (new id, new
  ``created_at``) while the load balancer keeps its own. So an amphora
  created inside the window whose load balancer was created before the
  window is counted as one failover (manual, automatic or a rotation's).
  Amphorae deleted since (failed over twice in the window) are not
  listed by the API and cannot be counted: the figure is a lower bound.
"""

import collections
import datetime

from oslo_utils import timeutils

from octavia_maint.cloud import facade
from octavia_maint.common import constants
from octavia_maint.common import image_drift

DAY = 86400


def build_from_conf(conf, connection=None, **options):
    """The report of the cloud ``[cloud]`` names (or of ``connection``);
    see :func:`build`."""
    cloud = facade.Cloud.from_conf(conf, connection)
    try:
        return build(cloud, image_tag=conf.octavia.amp_image_tag,
                     image_owner=conf.octavia.amp_image_owner_id, **options)
    finally:
        cloud.close()


def build(cloud, image_tag, image_owner=None, stuck_after=3600,
          cert_days=14, failover_window=DAY, now=None):
    """Read the cloud once and return the report as a dict.

    :param stuck_after: seconds a load balancer may stay not ACTIVE.
    :param cert_days: report certificates expiring within this many days.
    :param failover_window: seconds back in time failovers are counted.
    :param now: a naive UTC datetime (tests); the current time otherwise.
    """
    now = now or timeutils.utcnow()
    lbs = cloud.list_load_balancers()
    amphorae = image_drift.live_amphorae(cloud.list_amphorae())
    image = cloud.find_newest_image(image_tag, owner=image_owner)
    target = image_drift.as_target(image) if image else None
    stale = ([a for a in amphorae
              if image_drift.amphora_is_stale(a, target)]
             if target else [])
    return {
        'generated_at': now.isoformat(),
        'load_balancers': len(lbs),
        'load_balancers_by_status': dict(sorted(collections.Counter(
            lb['provisioning_status'] for lb in lbs).items())),
        'stuck_after_seconds': stuck_after,
        'stuck_load_balancers': _stuck(lbs, now, stuck_after),
        'amphorae': len(amphorae),
        'amphorae_in_error': [_amphora_row(a) for a in amphorae
                              if a['status'] == constants.ERROR],
        'amphorae_failover_stopped': [
            _amphora_row(a) for a in amphorae
            if a['status'] == constants.FAILOVER_STOPPED],
        'load_balancers_without_amphorae': _without_amphorae(lbs, amphorae),
        'image_tag': image_tag,
        'target_image': target and target['id'],
        'stale_amphorae': len(stale),
        'stale_load_balancers': len({a['loadbalancer_id'] for a in stale}),
        'cert_days': cert_days,
        'expiring_certificates': _expiring(amphorae, now, cert_days),
        'failover_window_seconds': failover_window,
        'failovers': _failovers(lbs, amphorae, now, failover_window),
    }


def _time(value):
    return timeutils.normalize_time(timeutils.parse_isotime(value))


def _stuck(lbs, now, stuck_after):
    rows = []
    for lb in lbs:
        since = lb.get('updated_at') or lb.get('created_at')
        if lb['provisioning_status'] == constants.ACTIVE or not since:
            continue
        seconds = (now - _time(since)).total_seconds()
        if seconds > stuck_after:
            rows.append({'id': lb['id'], 'name': lb.get('name'),
                         'project_id': lb.get('project_id'),
                         'provisioning_status': lb['provisioning_status'],
                         'since': since, 'seconds': int(seconds)})
    return sorted(rows, key=lambda r: -r['seconds'])


def _without_amphorae(lbs, amphorae):
    """Amphora load balancers Octavia lists no amphora for: nothing
    serves their VIP and no failover of the health manager will come.
    One Octavia is creating or deleting (PENDING_*) has none for a while
    by nature, and is not listed."""
    served = {a.get('loadbalancer_id') for a in amphorae}
    return [{'id': lb['id'], 'name': lb.get('name'),
             'project_id': lb.get('project_id'),
             'provisioning_status': lb['provisioning_status']}
            for lb in lbs if lb.get('provider') in constants.AMPHORA_PROVIDERS
            and lb['id'] not in served
            and not lb['provisioning_status'].startswith('PENDING_')]


def _amphora_row(amphora):
    return {'id': amphora['id'],
            'loadbalancer_id': amphora.get('loadbalancer_id'),
            'compute_id': amphora.get('compute_id'),
            'status': amphora['status'],
            'cert_expiration': amphora.get('cert_expiration')}


def _expiring(amphorae, now, cert_days):
    limit = now + datetime.timedelta(days=cert_days)
    rows = [dict(_amphora_row(a), days_left=round(
        (_time(a['cert_expiration']) - now).total_seconds() / DAY, 1))
        for a in amphorae
        if a.get('cert_expiration') and _time(a['cert_expiration']) < limit]
    return sorted(rows, key=lambda r: r['days_left'])


def _failovers(lbs, amphorae, now, window):
    start = now - datetime.timedelta(seconds=window)
    created = {lb['id']: lb.get('created_at') for lb in lbs}
    count = 0
    for amphora in amphorae:
        lb_created = created.get(amphora.get('loadbalancer_id'))
        if (amphora.get('created_at') and lb_created and
                _time(amphora['created_at']) >= start and
                _time(lb_created) < start):
            count += 1
    return count
