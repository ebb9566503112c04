"""Durations and side effects of cleanup-node and evacuate-host.

INTRO: a fleet of 200 load balancers (half ACTIVE_STANDBY) on 10 hosts
with 200 tenant VMs, and 20 orphan amphora VMs left on compute-001;
failovers take 2 s and server deletes 1 s in the simulator; throttle 10,
two conductors. Runs cleanup-node --yes on compute-001, then
evacuate-host on the host with the most amphorae, and prints for each the
time from posting to success and what the cloud saw (the simulator's
counters): deletes per server, failovers per amphora, disables of the
host, tenant VMs and amphorae left. With ``--kill-9`` the conductor that
holds each campaign is killed once the first side effect is seen.

Things to note: the simulator, ZooKeeper, the conductors and this script
share the machine's cores; a kill -9 adds about one ZooKeeper session
timeout (10 s) before the survivor takes over.

Run: ``python3 tools/bench/host_procedures.py [--lbs 200] [--kill-9]``.
"""

import argparse
import collections
import time

import cluster

from octavia_maint.common import constants

ORPHAN_HOST = 'compute-001'


def servers(cloud, hosts):
    return {s['id']: (host, s['project_id'])
            for host in hosts for s in cloud.list_servers_on_host(host)}


def amphorae_by_host(cloud, where):
    by_host = collections.defaultdict(list)
    for amphora in cloud.list_amphorae():
        host = where.get(amphora['compute_id'], (None,))[0]
        by_host[host].append(amphora['id'])
    return by_host


def run(c, procedure, params, side_effect, kill):
    posted = time.time()
    job_id = c.service.post(procedure, params)
    if kill:
        deadline = time.monotonic() + 120
        while not c.sim('stats')[side_effect]:
            if time.monotonic() > deadline:
                raise RuntimeError('no %s seen' % side_effect)
            time.sleep(0.1)
        owner = c.service.view(job_id)['conductor']
        victim = next(p for p in c.conductors
                      if 'Conductor %s started' % owner in p.log())
        victim.kill()
        c.start_conductor()
    state = c.wait_done(job_id, timeout=60 * 30)
    return job_id, state, time.time() - posted


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--lbs', type=int, default=200)
    parser.add_argument('--hosts', type=int, default=10)
    parser.add_argument('--orphans', type=int, default=20)
    parser.add_argument('--throttle', type=int, default=10)
    parser.add_argument('--failover-seconds', type=float, default=2.0)
    parser.add_argument('--kill-9', action='store_true')
    args = parser.parse_args()
    fleet = {'load_balancers': args.lbs, 'hosts': args.hosts,
             'active_standby_ratio': 0.5, 'tenant_vms': args.lbs,
             'orphan_amphora_vms': args.orphans, 'orphan_host': ORPHAN_HOST,
             'failover_seconds': args.failover_seconds,
             'server_delete_seconds': 1.0}
    with cluster.Cluster(fleet, 2, args.throttle,
                         session_timeout=10) as c:
        cloud = c.service.backend.cloud
        hosts = ['compute-%03d' % (n + 1) for n in range(args.hosts)]
        service_project = c.sim('fleet')['service_project_id']
        before = servers(cloud, hosts)
        tenants = {i for i, (_, p) in before.items() if p != service_project}
        live = {a['compute_id'] for a in cloud.list_amphorae()}

        _, state, seconds = run(c, constants.CLEANUP_NODE,
                                {'host': ORPHAN_HOST, 'yes': True},
                                'server_deletes_by_id', args.kill_9)
        stats = c.sim('stats')
        after = servers(cloud, hosts)
        print('cleanup-node --host %s%s' % (
            ORPHAN_HOST, ' (kill -9 mid-way)' if args.kill_9 else ''))
        print('  job state              %s' % state)
        print('  seconds                %.1f' % seconds)
        print('  servers deleted        %d (orphans seeded %d)' % (
            len(stats['server_deletes_by_id']), args.orphans))
        print('  repeated deletes       %d' % sum(
            n - 1 for n in stats['server_deletes_by_id'].values()))
        print('  tenant VMs deleted     %d' % len(tenants - set(after)))
        print('  live amphora VMs del.  %d' % len(live - set(after)))

        by_host = amphorae_by_host(cloud, after)
        host = max(hosts, key=lambda h: len(by_host[h]))
        moving = set(by_host[host])
        _, state, seconds = run(c, constants.EVACUATE_HOST, {'host': host},
                                'amphora_failovers_by_id', args.kill_9)
        stats = c.sim('stats')
        left = amphorae_by_host(cloud, servers(cloud, hosts))[host]
        print('evacuate-host --host %s%s' % (
            host, ' (kill -9 mid-way)' if args.kill_9 else ''))
        print('  job state              %s' % state)
        print('  seconds                %.1f' % seconds)
        print('  amphorae on the host   %d' % len(moving))
        print('  amphorae failed over   %d' % len(
            set(stats['amphora_failovers_by_id']) & moving))
        print('  repeated failovers     %d' % sum(
            n - 1 for n in stats['amphora_failovers_by_id'].values()))
        print('  amphorae left          %d' % len(left))
        print('  host disables          %d' % stats[
            'service_disables_by_host'].get(host, 0))
        print('  host enables           %d' % stats[
            'service_enables_by_host'].get(host, 0))
        print('  peak failovers         %d (throttle %d)' % (
            stats['peak_concurrent_failovers'], args.throttle))
        print('  automatic failovers    %d' % stats['automatic_failovers'])


if __name__ == '__main__':
    main()
