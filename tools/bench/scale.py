"""A 10,000-load-balancer campaign: how soon it starts, how much memory.

INTRO: 10,000 load balancers in the simulator (the campaign plans them
all: one paginated listing of load balancers and one of amphorae), two
conductors, throttle 50. Measures the time from posting the job to the
first failover the cloud sees (target: at most 5 s) and the conductors'
peak resident memory while the campaign runs (target: at most 300 MB
each). The campaign is cancelled after MEASURE_SECONDS: finishing 10,000
failovers is the efficiency benchmark's subject, not this one's.

Run: ``python3 tools/bench/scale.py [--lbs 10000]``.
"""

import argparse
import time

import cluster

from octavia_maint.common import constants

MEASURE_SECONDS = 60


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--lbs', type=int, default=10000)
    parser.add_argument('--throttle', type=int, default=50)
    parser.add_argument('--persistence', default='sqlite',
                        choices=('sqlite', 'mysql', 'postgresql'))
    args = parser.parse_args()
    fleet = {'load_balancers': args.lbs, 'hosts': 100,
             'failover_seconds': 2.0}
    with cluster.Cluster(fleet, 2, args.throttle,
                         persistence=args.persistence) as c:
        c.upload_new_image()
        posted = time.time()
        job_id = c.service.post(constants.ROTATE_IMAGE, {})
        first = None
        peak = 0.0
        deadline = time.monotonic() + MEASURE_SECONDS
        while time.monotonic() < deadline:
            peak = max(peak, c.peak_rss_mb())
            if first is None:
                audit = [e for e in c.sim('audit?since=0')['entries']
                         if e['path'].endswith('/failover')]
                if audit:
                    first = min(e['time'] for e in audit) - posted
            time.sleep(0.5)
        done = sum(c.sim('stats')['failovers_by_lb'].values())
        c.service.cancel(job_id)
        print('load balancers            %d' % args.lbs)
        print('persistence               %s' % args.persistence)
        print('post to first failover    %s' % (
            '%.1f s' % first if first is not None else 'none'))
        print('failovers in %ds          %d' % (MEASURE_SECONDS, done))
        print('conductor peak RSS        %.0f MB' % peak)


if __name__ == '__main__':
    main()
