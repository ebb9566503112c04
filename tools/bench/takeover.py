"""How fast work moves to another conductor: kill -9, then SIGTERM.

INTRO: two conductors share a rotation with slow (20 s) failovers. One is
killed with SIGKILL (its whole process group, as a host crash): its
claims stay until its ZooKeeper session expires, so the time until every
job it held is owned by another conductor is bounded by the session
timeout (target: at most session timeout + 2 s). Then a third conductor
joins and the second is stopped with SIGTERM: it hands its jobs over at
once (target: at most 1 s until they are owned elsewhere).

Run: ``python3 tools/bench/takeover.py [--session-timeout 10]``.
"""

import argparse
import signal
import socket
import time

import cluster
import psutil

from octavia_maint.common import constants

# The campaign keeps twice the throttle of children posted: 8 jobs, and
# conductors of 16 slots each, so a survivor always has room for them.
THROTTLE = 4


def names_of(conductor):
    """The names a conductor service claims under (one per worker)."""
    tree = psutil.Process(conductor.proc.pid)
    return {'%s-%d' % (socket.gethostname(), p.pid)
            for p in [tree] + tree.children(recursive=True)}


def owners(c):
    """``{job_id: owner}`` of the claimed jobs on the board."""
    board = c.service.backend.board
    found = {}
    for job_id, job in c.service.backend.jobs_on_board().items():
        owner = board.find_owner(job)
        if owner:
            found[job_id] = owner
    return found


def measure(c, victim, stop):
    """Stop ``victim`` with ``stop``.

    :returns: seconds until the first of its jobs runs elsewhere, seconds
        until all of them do (or finished), and how many it held.
    """
    mine = names_of(victim)
    held = {j for j, o in owners(c).items() if o in mine}
    began = time.monotonic()
    stop(victim)
    first = None
    while True:
        now = owners(c)
        on_board = c.service.backend.jobs_on_board()
        moved = {j for j in held
                 if j not in on_board or now.get(j) not in (None, *mine)}
        if moved and first is None:
            first = time.monotonic() - began
        if moved == held:
            return first, time.monotonic() - began, len(held)
        time.sleep(0.02)


def wait_until_busy(c, conductor, timeout=120):
    deadline = time.monotonic() + timeout
    while not any(o in names_of(conductor) for o in owners(c).values()):
        if time.monotonic() > deadline:
            raise RuntimeError('conductor %s never got a job'
                               % names_of(conductor))
        time.sleep(0.2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--session-timeout', type=float, default=10.0)
    parser.add_argument('--persistence', default='sqlite',
                        choices=('sqlite', 'mysql', 'postgresql'))
    args = parser.parse_args()
    fleet = {'load_balancers': 200, 'failover_seconds': 20.0}
    # Few jobs per conductor, so that each of them holds some.
    with cluster.Cluster(fleet, 2, THROTTLE,
                         session_timeout=args.session_timeout,
                         max_simultaneous_jobs=16,
                         persistence=args.persistence) as c:
        c.upload_new_image()
        c.service.post(constants.ROTATE_IMAGE, {})
        victim, survivor = c.conductors
        wait_until_busy(c, victim)
        kill = measure(c, victim, lambda v: v.signal(signal.SIGKILL))
        third = c.start_conductor()
        wait_until_busy(c, third)
        term = measure(c, survivor,
                       lambda v: v.proc.send_signal(signal.SIGTERM))
        began = time.monotonic()
        code = survivor.terminate()
        exit_after = time.monotonic() - began + term[1]
        stats = c.sim('stats')
        print('session timeout           %.0f s' % args.session_timeout)
        print('kill -9 takeover          first job %.2f s, all %.2f s '
              '(%d jobs held)' % kill)
        print('SIGTERM hand-off          first job %.2f s, all %.2f s '
              '(%d jobs held)' % term)
        print('SIGTERM exit              %.1f s after the signal (code %d; '
              'it keeps its throttle slots until its steps end)'
              % (exit_after, code))
        print('duplicate failovers       %d' % sum(
            n - 1 for n in stats['failovers_by_lb'].values()))
        print('peak concurrent failovers %d (throttle %d)'
              % (stats['peak_concurrent_failovers'], THROTTLE))


if __name__ == '__main__':
    main()
