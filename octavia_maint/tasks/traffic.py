"""The data-plane check: does a load balancer serve after its failover as
it did before?

A failover counts as done on the control plane when the load balancer is
ACTIVE on new amphorae; an amphora image (or CA, or key) that boots fine
and then passes no traffic would still be rolled onto the whole fleet.
Octavia's status tree (``GET /v2/lbaas/loadbalancers/{id}/status``) says
what its health manager hears from the amphorae: the ``operating_status``
of the load balancer and of each listener, pool and member.

The tree is read before the failover and saved with the target's
snapshot, so a re-run after ``kill -9`` still compares with the tree from
before the failover, not one from after it. After the failover it is read
again until it is at least as healthy (:func:`regressions` is empty) or
``[verify] settle_seconds`` pass; then the target fails and the
campaign's circuit breaker counts it, as it counts a failover that ended
in ERROR. The settling runs outside the throttle slot: the cloud's work
is over, only the health manager's reports are awaited.
"""

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.common import waiting
from octavia_maint import conf

CONF = conf.CONF

# How well a part serves, by its operating_status: NO_MONITOR (a pool
# without health monitor) serves as far as anyone can tell, DEGRADED
# (some members down) partly; ERROR and OFFLINE (disabled) not at all.
HEALTH = {constants.ONLINE: 2, constants.NO_MONITOR: 2,
          constants.DEGRADED: 1}
# Parts a failure names; a listener with hundreds of members in ERROR
# is one line of job show, not hundreds.
MAX_NAMED = 4


def read_tree(cloud, lb_id):
    """The load balancer's status tree; None once it was deleted."""
    try:
        return cloud.get_load_balancer_status_tree(lb_id)
    except exceptions.NotFound:
        return None


def parts(tree):
    """``{(kind, id): (label, operating_status)}`` of the load balancer and
    of every listener, pool and member in its status tree, in tree order.

    A pool shared by two listeners is one part (Octavia gives it one
    status).
    """
    found = {('loadbalancer', tree['id']):
             ('load balancer %s' % tree['id'], tree.get('operating_status'))}
    for listener in tree.get('listeners') or ():
        found[('listener', listener['id'])] = (
            'listener %s' % _name(listener),
            listener.get('operating_status'))
        for pool in listener.get('pools') or ():
            found[('pool', pool['id'])] = (
                'pool %s' % _name(pool), pool.get('operating_status'))
            for member in pool.get('members') or ():
                found[('member', member['id'])] = (
                    'member %s of pool %s' % (_name(member), _name(pool)),
                    member.get('operating_status'))
    return found


def _name(part):
    return part.get('name') or part['id']


def regressions(before, after):
    """What serves less in ``after`` than in ``before``; empty when
    ``after`` is at least as healthy.

    At least as healthy means: every part of ``before`` that served
    (ONLINE or NO_MONITOR) and is still in ``after`` serves again (ONLINE
    or NO_MONITOR); one that was DEGRADED is DEGRADED or better. A part
    that did not serve before (ERROR, OFFLINE, unknown) is held to
    nothing, a part gone from ``after`` was deleted by its owner
    meanwhile, a new part was added meanwhile: none of these is the
    failover's doing. The load balancer's own status is named only when
    none of its parts is: Octavia derives it from theirs.

    :returns: ``['listener L went from ONLINE to ERROR', ...]`` in tree
        order.
    """
    now = parts(after)
    lines = []
    for key, (label, was) in parts(before).items():
        if key not in now or not HEALTH.get(was):
            continue
        status = now[key][1]
        if HEALTH.get(status, 0) < HEALTH[was]:
            lines.append('%s went from %s to %s' % (label, was, status))
    return lines[1:] if len(lines) > 1 and lines[0].startswith(
        'load balancer ') else lines


def describe(lines, when):
    """``lines`` of :func:`regressions` in one sentence, the first
    ``MAX_NAMED`` of them named, each followed by ``when``."""
    named = ['%s %s' % (line, when) for line in lines[:MAX_NAMED]]
    if len(lines) > MAX_NAMED:
        named.append('and %d more' % (len(lines) - MAX_NAMED))
    return '; '.join(named)


def settle(job, cloud, lb_id, before, breaker):
    """Wait until the load balancer serves at least as well as ``before``.

    Read-only, so safe to run again. The first read waits ``[verify]
    first_look_seconds``: right after the failover the tree may still
    show what the old amphorae reported. A load balancer deleted
    meanwhile has nothing left to check.

    :param before: its status tree before the failover; None when none
        was recorded (the check is off): nothing is checked.
    :param breaker: the campaign's circuit breaker, which counts a
        failure.
    :raises TrafficNotRestored: still less healthy after ``[verify]
        settle_seconds``.
    """
    if before is None:
        return
    seconds = CONF.verify.settle_seconds

    def look():
        after = read_tree(cloud, lb_id)
        return [] if after is None else regressions(before, after)

    def give_up(last):
        breaker.record_failure()
        return exceptions.TrafficNotRestored(
            lb_id=lb_id, seconds=seconds,
            regressions=describe(last, 'after failover'))

    # The first look usually finds it serving: only a load balancer that
    # does not yet is worth a note in ``job show`` (two saves of the job).
    if not waiting.wait_until(look, until=lambda lines: True,
                              check=job.check_active,
                              delay=CONF.verify.first_look_seconds):
        return
    interval = CONF.verify.poll_interval
    with job.waiting('load balancer %s to serve as before its failover'
                     % lb_id, seconds):
        waiting.wait_until(look, until=lambda lines: not lines,
                           interval=interval,
                           timeout=max(0.0, seconds - interval),
                           timeout_error=give_up, check=job.check_active,
                           delay=interval)
