"""``job post ... --rehearse``: what a job would do to *this* fleet.

INTRO: a dry run plans, but cannot say how a campaign unfolds: which
failovers end where, how long the waves take, what a real run trips on.
A rehearsal runs the job itself, with the same procedure, options and
configuration, in local mode, against a private simulator serving a
snapshot of the cloud (``report/snapshot.py``), then prints what the real
run would do: targets, skips with reasons, waves between gates, the gates,
the expected duration (scaled back to real time), the peak concurrency
and the warnings a real run would hit.

Things to note:

* Nothing is changed in the real cloud: it is only read, once, for the
  snapshot. The job runs against the simulator (started as its own
  program, ``cli/simulator_process.py``); ``[cloud]``, ``[octavia_db]``,
  ``[jobboard]`` and ``[persistence]`` point at it and a temporary
  SQLite database for the rehearsal only, then are restored.
* Time runs ``[rehearsal] time_scale`` times faster in the simulator,
  and every wait of the job (polls, timeouts, pacing) is divided by the
  same factor, so the rehearsal is the real run, compressed. Gates are
  released at once: the expected duration is the time the job works,
  not the time an operator takes at a gate.
* Failovers take :func:`failover_duration` in the simulator. The
  expected duration counts them in rounds of the concurrency the real
  run has (:func:`expected_concurrency`), and the tool's own work as it
  took here
  (:func:`_real_seconds`), rather than scaling the rehearsal's clock
  back: compressed, the tool's work per failover is the bottleneck.
"""

import collections
import math
import os
import tempfile
import threading
import time

import yaml

from octavia_maint.cli import simulator_process
from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.common import waiting
from octavia_maint import conf
from octavia_maint.conf import conductor as conf_conductor
from octavia_maint.flows import registry
from octavia_maint.jobs import history
from octavia_maint.jobs import service as jobs_service
from octavia_maint.report import snapshot

# Real seconds between two looks at the rehearsed job.
POLL_SECONDS = 0.1
# Real-time options of the job, divided by the time scale:
# (group, option, least value it accepts).
SCALED_OPTIONS = (
    ('cloud', 'status_poll_interval', 0.01),
    ('cloud', 'wait_timeout', 1.0),
    ('cloud', 'api_retry_seconds', 0.0),
    ('cloud', 'api_retry_max_delay', 0.1),
    ('throttle', 'min_interval_seconds', 0.0),
    ('throttle', 'failover_timeout', 1),
    ('octavia', 'cert_interval', 1.0),
    ('octavia', 'cert_rotation_timeout', 1.0),
    # The data-plane check's waits after each failover.
    ('verify', 'settle_seconds', 1),
    ('verify', 'first_look_seconds', 0.0),
    ('verify', 'poll_interval', 0.01),
)
# How many load balancers a warning names before "...".
NAMED = 5


def failover_duration(conf_, connection=None):
    """How long one failover of this cloud takes, for its simulator.

    The one place a rehearsal (and a snapshot) learns it: the recent
    median of this cloud's own failovers, kept in the persistence
    database (jobs/history.py), else the configured ``[throttle]
    expected_failover_seconds``; ``source`` says which.

    :returns: ``{'seconds', 'jitter', 'source'}``.
    """
    times = history.failover_times_of(conf_, connection)
    return {'seconds': float(times.seconds(None)), 'jitter': 0.0,
            'source': times.describe(None)}


def expected_concurrency(conf_):
    """How many failovers the real run has in flight at once: the
    throttle's slots, unless one local process runs fewer children.

    Taken from the configuration, not from the rehearsal's peak: a
    rehearsal compressed enough to be short keeps fewer in flight than
    the real run (its children start no faster than the tool's own
    work allows), and would predict too many rounds.
    """
    slots = conf_.throttle.max_concurrent_failovers
    if conf_.jobboard.backend == 'local':
        slots = min(slots, conf_conductor.max_simultaneous_jobs(conf_))
    return slots


def snapshot_summary(snap):
    """What a snapshot holds, counted."""
    return {'taken_at': snap['taken_at'],
            'load_balancers': len(snap['load_balancers']),
            'amphorae': len(snap['amphorae']),
            'amphora_servers': len(snap['servers']),
            'hosts': len(snap['compute_services']),
            'tagged_images': len(snap['images']),
            'projects': len(snap['projects'])}


def rehearse(connection, procedure, params, force=False):
    """Rehearse a job; :returns: what the real run would do, a dict.

    :param connection: the openstack CLI's connection to read the real
        cloud with, or None (``[cloud]``).
    :raises InvalidInput: bad parameters, before the cloud is read.
    """
    proc = registry.get(procedure)
    checked = proc.validate(dict(params))
    unconfirmed = proc.confirmation_needed(checked)
    if unconfirmed:
        raise exceptions.InvalidInput(
            reason='%s; a rehearsal runs the job, so give the confirmation '
                   'too (nothing changes in the real cloud)' % unconfirmed)
    started = time.monotonic()
    scale = conf.CONF.rehearsal.time_scale
    duration = failover_duration(conf.CONF, connection)
    fleet = snapshot.build_from_conf(conf.CONF, connection,
                                     failover_seconds=duration['seconds'])
    fleet.update(time_scale=scale, failover_jitter=duration['jitter'])
    with tempfile.TemporaryDirectory(prefix='octavia-maint-rehearsal-') as tmp:
        fleet_file = os.path.join(tmp, 'fleet.yaml')
        with open(fleet_file, 'w', encoding='utf-8') as out:
            yaml.safe_dump(fleet, out)
        octavia_db = 'sqlite:///%s' % os.path.join(tmp, 'octavia.sqlite')
        with simulator_process.serve(tmp, ['--fleet', fleet_file,
                                           '--octavia-db', octavia_db]) as (
                url, cloud):
            with simulator_process.overridden(
                    _overrides(cloud, tmp, octavia_db, scale)):
                run = _run(procedure, params, force, scale, url,
                           duration['seconds'])
            stats = simulator_process.control(url, 'stats')
    result = {
        'procedure': procedure, 'parameters': params,
        'snapshot': snapshot_summary(fleet['snapshot']),
        'failover_seconds': duration['seconds'],
        'failover_source': duration['source'], 'time_scale': scale,
        'peak_concurrency': min(expected_concurrency(conf.CONF),
                                stats['failovers_total']),
        'rehearsal_peak': stats['peak_concurrent_failovers'],
        'failovers': stats['failovers_total'],
        'failed_failovers': stats['failed_failovers'],
        'rehearsal_seconds': round(time.monotonic() - started, 1)}
    result['warnings'] = (warnings(proc, checked, fleet['snapshot'])
                          + run.pop('run_warnings'))
    result.update(run)
    return result


def _overrides(cloud, tmp, octavia_db, scale):
    groups = simulator_process.local_mode_overrides(cloud, tmp)
    groups['octavia_db'] = {'connection': octavia_db}
    if conf.CONF.jobboard.backend != 'local':
        # On a board, several conductors share the throttle: let this one
        # process run as many children as the throttle has slots.
        groups['conductor'] = {'max_simultaneous_jobs': max(
            conf_conductor.max_simultaneous_jobs(conf.CONF),
            conf.CONF.throttle.max_concurrent_failovers)}
    for group, name, least in SCALED_OPTIONS:
        value = conf.CONF[group][name] / scale
        value = max(least, int(value) if isinstance(least, int) else value)
        groups.setdefault(group, {})[name] = value
    return groups


def _run(procedure, params, force, scale, url, failover_seconds):
    """Post the job in the private cloud and run it here to its end,
    releasing every gate; what it did, with its duration scaled back
    (:func:`_real_seconds`).
    """
    service = jobs_service.JobService(conf.CONF)
    try:
        job_id = service.post(procedure, params, force=force)
        worker = threading.Thread(target=service.local_runner().run,
                                  args=(job_id,), daemon=True,
                                  name='octavia-maint-rehearsal')
        anchor = (time.monotonic(),
                  simulator_process.control(url, 'time')['now'])
        laps, gates = [[anchor[0], None, 0, None]], []
        worker.start()

        def lap(done, gate):
            laps[-1][1:] = [time.monotonic(), done, gate]

        def look():
            view = service.view(job_id)
            if view['state'] == constants.JOB_WAITING:
                lap(_finished(service.show(job_id)['targets']),
                    view['waiting_for'])
                gates.append(view['waiting_for'])
                service.continue_job(job_id)
                laps.append([time.monotonic(), None, 0, None])
            return view

        waiting.wait_until(look, until=lambda view: not worker.is_alive(),
                           interval=POLL_SECONDS, sleep=worker.join)
        view = service.show(job_id)
        lap(_finished(view['targets']), None)
        starts = _failover_starts(simulator_process.control(url, 'audit'),
                                  anchor, scale)
        slots = expected_concurrency(conf.CONF)
    finally:
        service.close()
    waves, before = [], 0
    for number, (begin, end, done, gate) in enumerate(laps, 1):
        waves.append({'wave': number, 'targets': done - before,
                      'seconds': round(_real_seconds(
                          begin, end, starts, scale, failover_seconds,
                          slots)),
                      'ends_at_gate': gate})
        before = done
    targets = view['targets']
    skips = collections.Counter(t['reason'] for t in targets
                                if t['outcome'] == constants.OUTCOME_SKIPPED)
    run_warnings = []
    if view['state'] != constants.JOB_SUCCEEDED:
        run_warnings.append('the rehearsed job ended %s: %s' % (
            view['state'], view['reason'] or 'see its targets'))
    return {'state': view['state'], 'counts': view['counts'],
            'to_run': sum(t['outcome'] != constants.OUTCOME_SKIPPED
                          for t in targets),
            'skips': dict(skips.most_common()),
            'waves': [w for w in waves if w['targets'] or w['ends_at_gate']],
            'gates': gates,
            'expected_seconds': sum(w['seconds'] for w in waves),
            'targets': targets, 'run_warnings': run_warnings}


def _failover_starts(audit, anchor, scale):
    """When (this process's monotonic seconds) the job issued each
    failover, from the simulator's audit log (simulated epoch seconds)."""
    real0, sim0 = anchor
    return sorted(real0 + (entry['time'] - sim0) / scale
                  for entry in audit['entries']
                  if entry['method'] == 'PUT'
                  and entry['path'].endswith('/failover'))


def _real_seconds(begin, end, starts, scale, failover_seconds, slots):
    """How long the real run takes for what the rehearsal did between
    ``begin`` and ``end`` (real seconds of this process).

    The failovers are what the real run waits for: ``len(starts)`` of
    them in that lap, ``slots`` at once (:func:`expected_concurrency`),
    each ``failover_seconds`` long, take ``ceil(n / slots)`` rounds.
    The rest (planning, uploading, posting children) is the tool's own
    work and takes about as long as it did here. Not scaled
    back from the rehearsal's clock: at a high time scale the tool's own
    work per failover, compressed with the rest, becomes the bottleneck
    and would be counted ``scale`` times over.
    """
    inside = [t for t in starts if begin <= t <= end]
    if not inside:
        return end - begin
    window = min(end, inside[-1] + failover_seconds / scale) - inside[0]
    rounds = math.ceil(len(inside) / max(1, slots))
    return (end - begin - window) + rounds * failover_seconds


def _finished(targets):
    return sum(t['outcome'] not in (constants.OUTCOME_PENDING,
                                    constants.OUTCOME_RUNNING)
               for t in targets)


def warnings(proc, params, snap):
    """What a real run of ``proc`` would trip on in this fleet."""
    found = []
    lbs = _in_scope(snap['load_balancers'], params)
    if 'include_error' in params and not params['include_error']:
        error = [lb for lb in lbs if lb['provisioning_status'] ==
                 constants.ERROR and lb['provider']
                 in constants.AMPHORA_PROVIDERS]
        if error:
            found.append('%d load balancers in ERROR are left out (%s); '
                         '--include-error fails them over, which is how '
                         'Octavia repairs them' % (len(error), _names(error)))
    if 'load_balancer_ids' in params:
        # A campaign over load balancers (not over a host's amphorae).
        others = collections.Counter(
            lb['provider'] for lb in lbs
            if lb['provider'] not in constants.AMPHORA_PROVIDERS)
        if others:
            found.append('%d load balancers of provider %s have no '
                         'amphorae and are skipped' % (
                             sum(others.values()), ', '.join(sorted(others))))
    busy = [lb for lb in snap['load_balancers']
            if lb['provisioning_status'].startswith('PENDING_')]
    if busy:
        found.append('%d load balancers were PENDING_* when the snapshot '
                     'was taken (%s): the rehearsal saw them stay so, a real '
                     'run waits for them' % (len(busy), _names(busy)))
    if proc.name == constants.EVACUATE_HOST:
        pairs = _pairs_on_host(snap, params['host'])
        if pairs:
            found.append(
                '%d ACTIVE_STANDBY load balancers have both amphorae on '
                'host %s (%s): evacuating it fails over both, and their '
                'VIP has no standby meanwhile' % (
                    len(pairs), params['host'], _names(pairs)))
    return found


def _in_scope(lbs, params):
    if params.get('project_id'):
        return [lb for lb in lbs if lb['project_id'] == params['project_id']]
    if params.get('load_balancer_ids'):
        return [lb for lb in lbs if lb['id'] in params['load_balancer_ids']]
    return lbs


def _pairs_on_host(snap, host):
    on_host = {s['id'] for s in snap['servers'] if s['host'] == host}
    count = collections.Counter(a['loadbalancer_id'] for a in snap['amphorae']
                                if a['compute_id'] in on_host)
    return [lb for lb in snap['load_balancers'] if count[lb['id']] > 1]


def _names(lbs):
    shown = ', '.join(lb['name'] or lb['id'] for lb in lbs[:NAMED])
    return shown + (', ...' if len(lbs) > NAMED else '')
