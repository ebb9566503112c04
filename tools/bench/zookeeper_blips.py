"""A fleet rotation while ZooKeeper goes away, and how long it stalls.

INTRO: a rotate-image campaign over ``--lbs`` load balancers on
``--conductors`` conductors. Once a tenth of the fleet is failed over,
ZooKeeper goes away: a standalone server is restarted (down for
``--down`` seconds plus its start-up), or the leader of a 3-node
ensemble is killed with kill -9 (``--ensemble``) and started again 20 s
later. The campaign must end ``succeeded`` by itself, with every load
balancer failed over exactly once and never more than the throttle at a
time. The stall is the longest time, from the disturbance on, during
which no new failover started.

Run: ``python3 tools/bench/zookeeper_blips.py [--down 4] [--ensemble]``.
"""

import argparse
import threading
import time

import cluster

from octavia_maint.common import constants


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('INTRO:')[0])
    parser.add_argument('--lbs', type=int, default=300)
    parser.add_argument('--conductors', type=int, default=3)
    parser.add_argument('--throttle', type=int, default=20)
    parser.add_argument('--failover-seconds', type=float, default=2.0)
    parser.add_argument('--session-timeout', type=int, default=4)
    parser.add_argument('--down', type=float, default=4.0,
                        help='seconds a standalone ZooKeeper stays down')
    parser.add_argument('--ensemble', action='store_true',
                        help='kill -9 the leader of a 3-node ensemble')
    args = parser.parse_args()
    fleet = {'load_balancers': args.lbs, 'active_standby_ratio': 0.5,
             'hosts': 8, 'failover_seconds': args.failover_seconds}
    with cluster.Cluster(fleet, args.conductors, args.throttle,
                         session_timeout=args.session_timeout,
                         ensemble=args.ensemble) as c:
        c.upload_new_image()
        began = time.monotonic()
        job_id = c.service.post(constants.ROTATE_IMAGE, {})
        while c.sim('stats')['failovers_total'] < args.lbs // 10:
            time.sleep(0.2)
        starts = []
        done = threading.Event()

        def sample():
            while not done.wait(0.2):
                starts.append((time.monotonic(),
                               c.sim('stats')['failovers_total']))
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        disturbed = time.monotonic()
        down = disturb(c, args)
        state = c.wait_done(job_id, timeout=1800)
        done.set()
        sampler.join()
        took = time.monotonic() - began
        stats = c.sim('stats')
    counts = sorted(stats['failovers_by_lb'].values())
    print('disturbance: %s' % down)
    print('job state: %s after %.1f s' % (state, took))
    print('failed over: %d of %d; more than once: %d' % (
        len(counts), args.lbs, sum(n > 1 for n in counts)))
    print('peak concurrent failovers: %d (throttle %d)' % (
        stats['peak_concurrent_failovers'], args.throttle))
    print('stall (no new failover started) from the disturbance: %.1f s'
          % stall(starts, disturbed))


def disturb(c, args):
    if args.ensemble:
        node = c.zk.leader()
        c.zk.kill(node)
        timer = threading.Timer(20.0, c.zk.relaunch, (node,))
        timer.daemon = True
        timer.start()
        return 'leader %s killed (kill -9), started again 20 s later' % node
    seen = c.zk.restart(args.down)
    return ('ZooKeeper restarted: down %.1f s (asked %.1f s, session %d s)'
            % (seen, args.down, args.session_timeout))


def stall(samples, since):
    """Longest gap between two increases of the failover count."""
    longest, last_change, last_count = 0.0, since, None
    for at, count in samples:
        if count != last_count:
            longest = max(longest, at - last_change)
            last_change, last_count = at, count
    return longest


if __name__ == '__main__':
    main()
