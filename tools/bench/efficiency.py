"""How close a rotation gets to the throttle's ideal time.

INTRO: 1,000 load balancers, every failover takes 2 s in the simulator,
throttle 50, two conductors. The ideal is ceil(N/k) * T: 20 rounds of 2 s
= 40 s. Prints the ideal, the time from the first failover to the job's
success, the time from posting to success, and ideal / wall.
Target: ratio at least 0.95.

Things to note: the simulator, ZooKeeper, two conductors and this script
share the machine's 2 cores; the failover phase is measured from the
first failover the cloud saw (the simulator's audit log).

Run: ``python3 tools/bench/efficiency.py [--lbs 1000] [--throttle 50]``.
"""

import argparse
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
        print('ideal ceil(N/k)*T     %.1f s' % ideal)
        print('post to first failover %.1f s' % (first - posted))
        print('failover phase wall   %.1f s' % phase)
        print('post to success wall  %.1f s' % (done - posted))
        print('ratio ideal/phase     %.3f' % (ideal / phase))
        print('ratio ideal/total     %.3f' % (ideal / (done - posted)))
        print('conductor peak RSS    %.0f MB' % c.peak_rss_mb())


if __name__ == '__main__':
    main()
