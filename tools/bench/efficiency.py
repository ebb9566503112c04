"""How close a rotation gets to the throttle's ideal time.

INTRO: 1,000 load balancers, every failover takes 2 s in the simulator,
throttle 50, two conductors. The ideal is ceil(N/k) * T: 20 rounds of 2 s
= 40 s. Prints the ideal, the time from the first failover to the job's
success, the time from posting to success, and ideal / wall; and what it
cost: CPU seconds of the conductors, the simulator and ZooKeeper (per
load balancer), and the gap between a failover ending and the next one
starting in the slot it freed (p50/p95; the engine's share of a slot).
Target: ratio at least 0.95.

Things to note: the simulator, ZooKeeper, two conductors and this script
share the machine's 2 cores; the failover phase is measured from the
first failover the cloud saw (the simulator's audit log).

Documented runs (issue 13)::

    python3 tools/bench/efficiency.py
    python3 tools/bench/efficiency.py --persistence postgresql
    python3 tools/bench/efficiency.py --lbs 5000 --throttle 100
"""

import argparse
import collections
import math
import time

import cluster

from octavia_maint.common import constants


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--lbs', type=int, default=1000)
    parser.add_argument('--throttle', type=int, default=50)
    parser.add_argument('--failover-seconds', type=float, default=2.0)
    parser.add_argument('--conductors', type=int, default=2)
    parser.add_argument('--poll', type=float, default=0.1)
    parser.add_argument('--persistence', default='sqlite',
                        choices=('sqlite', 'mysql', 'postgresql'),
                        help='a throwaway database of this kind')
    args = parser.parse_args()
    fleet = {'load_balancers': args.lbs, 'hosts': 20,
             'failover_seconds': args.failover_seconds}
    with cluster.Cluster(fleet, args.conductors, args.throttle,
                         poll=args.poll,
                         persistence=args.persistence) as c:
        c.upload_new_image()
        posted = time.time()
        job_id = c.service.post(constants.ROTATE_IMAGE, {})
        state = c.wait_done(job_id, timeout=60 * 30)
        done = time.time()
        cpu = c.cpu_seconds()
        audit = [e for e in c.sim('audit?since=0')['entries']
                 if e['path'].endswith('/failover')]
        stats = c.sim('stats')
        first = min(e['time'] for e in audit)
        ideal = math.ceil(args.lbs / args.throttle) * args.failover_seconds
        phase = done - first
        print('load balancers        %d' % args.lbs)
        print('throttle              %d' % args.throttle)
        print('conductors            %d' % args.conductors)
        print('persistence           %s' % args.persistence)
        print('job state             %s' % state)
        print('failovers (cloud)     %d' % sum(
            stats['failovers_by_lb'].values()))
        print('duplicate failovers   %d' % sum(
            n - 1 for n in stats['failovers_by_lb'].values()))
        print('peak concurrent       %d' % stats['peak_concurrent_failovers'])
        print('API requests per LB   %.1f'
              % (stats['requests_total'] / args.lbs))
        print('ideal ceil(N/k)*T     %.1f s' % ideal)
        print('post to first failover %.1f s' % (first - posted))
        print('failover phase wall   %.1f s' % phase)
        print('post to success wall  %.1f s' % (done - posted))
        print('ratio ideal/phase     %.3f' % (ideal / phase))
        print('ratio ideal/total     %.3f' % (ideal / (done - posted)))
        print('conductor peak RSS    %.0f MB' % c.peak_rss_mb())
        for name in ('conductors', 'simulator', 'zookeeper'):
            print('%-21s %.1f s CPU, %.1f ms per load balancer'
                  % (name, cpu[name], 1000 * cpu[name] / args.lbs))
        times = stats['failover_times']
        print('mean concurrent       %.1f' % (
            (sum(times['ended']) - sum(times['started'])) / phase))
        gaps = slot_gaps(times)
        if gaps:
            print('slot gap p50 / p95    %.3f s / %.3f s'
                  % (percentile(gaps, 50), percentile(gaps, 95)))


def slot_gaps(times):
    """Seconds between a failover ending and the next one starting, each
    start taking the slot freed first (the engine's share of a slot)."""
    events = sorted([(t, 1) for t in times['ended']] +
                    [(t, 0) for t in times['started']])
    freed, gaps = collections.deque(), []
    for when, is_end in events:
        if is_end:
            freed.append(when)
        elif freed:
            gaps.append(when - freed.popleft())
    return gaps


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


if __name__ == '__main__':
    main()
