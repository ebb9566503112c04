"""Throughput and latency of the cloud simulator under 50 concurrent clients.

INTRO: starts an in-process simulator with 200 load balancers on a free
loopback port, gets one Keystone token, then runs 50 client threads, each
with its own keep-alive HTTP/1.1 connection, doing what octavia-maint's
conductors do most: list load balancers, show one, list the amphorae of
one (``loadbalancer_id`` filter). It stops after DURATION seconds or
MAX_REQUESTS requests, whichever comes first, and prints requests/s and
the p50/p99 latency per kind of request and overall.

Things to note: client and server share this process (and its GIL), so
the figures are a floor for what a separate client would see. A server
that closed each connection (as werkzeug's own ``run_wsgi`` does) would
halve them: every new connection costs an accept and a thread start, each
waiting for the GIL.

Run: ``python3 tools/bench/simulator_throughput.py [--duration 10]``.
"""

import argparse
import collections
import http.client
import json
import random
import statistics
import threading
import time

from octavia_maint.simulator import fleet
from octavia_maint.simulator import server

CLIENTS = 50
DURATION = 10.0
MAX_REQUESTS = 200000
LOAD_BALANCERS = 200
# The request mix: (kind, weight).
MIX = (('lb_list', 1), ('lb_show', 5), ('amphora_list', 4))


def _request(connection, method, path, body=None, headers=None):
    connection.request(method, path, body, headers or {})
    response = connection.getresponse()
    return response, response.read()


def setup_client(host, port, user):
    """A token (from the real Keystone flow) and the ids of every LB."""
    connection = http.client.HTTPConnection(host, port, timeout=30)
    body = json.dumps({'auth': {
        'identity': {'methods': ['password'], 'password': {'user': {
            'name': user['name'], 'password': user['password'],
            'domain': {'id': 'default'}}}},
        'scope': {'project': {'name': user['project'],
                              'domain': {'id': 'default'}}}}})
    response, _ = _request(connection, 'POST', '/identity/v3/auth/tokens',
                           body, {'Content-Type': 'application/json'})
    token = response.getheader('X-Subject-Token')
    _, listing = _request(connection, 'GET',
                          '/load-balancer/v2.0/lbaas/loadbalancers',
                          headers={'X-Auth-Token': token})
    connection.close()
    return token, [lb['id'] for lb in json.loads(listing)['loadbalancers']]


def client(host, port, token, lb_ids, deadline, budget, results, seed):
    rng = random.Random(seed)
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    connection = http.client.HTTPConnection(host, port, timeout=30)
    headers = {'X-Auth-Token': token, 'Accept': 'application/json'}
    latencies = collections.defaultdict(list)
    errors = 0
    while time.monotonic() < deadline and budget.acquire(blocking=False):
        kind = rng.choice(kinds)
        if kind == 'lb_list':
            path = '/load-balancer/v2.0/lbaas/loadbalancers'
        elif kind == 'lb_show':
            path = ('/load-balancer/v2.0/lbaas/loadbalancers/%s'
                    % rng.choice(lb_ids))
        else:
            path = ('/load-balancer/v2.0/octavia/amphorae?loadbalancer_id=%s'
                    % rng.choice(lb_ids))
        started = time.perf_counter()
        response, _ = _request(connection, 'GET', path, headers=headers)
        latencies[kind].append(time.perf_counter() - started)
        errors += response.status != 200
    connection.close()
    results.append((latencies, errors))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--duration', type=float, default=DURATION)
    parser.add_argument('--clients', type=int, default=CLIENTS)
    args = parser.parse_args()

    spec = fleet.FleetSpec(load_balancers=LOAD_BALANCERS,
                           active_standby_ratio=0.5, hosts=20)
    with server.Simulator(spec) as simulator:
        host, port = '127.0.0.1', simulator.port
        token, lb_ids = setup_client(host, port, spec.users[0])
        budget = threading.Semaphore(MAX_REQUESTS)
        results = []
        started = time.monotonic()
        deadline = started + args.duration
        threads = [
            threading.Thread(target=client, args=(
                host, port, token, lb_ids, deadline, budget, results, n))
            for n in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started

    merged = collections.defaultdict(list)
    errors = 0
    for latencies, client_errors in results:
        errors += client_errors
        for kind, values in latencies.items():
            merged[kind].extend(values)
    everything = [v for values in merged.values() for v in values]
    print('simulator: %d LBs, %d clients, %.1f s, %d requests, %d errors'
          % (LOAD_BALANCERS, args.clients, elapsed, len(everything), errors))
    print('throughput: %.0f requests/s' % (len(everything) / elapsed))
    for kind, values in sorted(merged.items()) + [('all', everything)]:
        print('%-13s n=%-7d p50=%6.1f ms  p99=%6.1f ms  mean=%6.1f ms' % (
            kind, len(values), 1000 * percentile(values, 0.50),
            1000 * percentile(values, 0.99),
            1000 * statistics.fmean(values)))


if __name__ == '__main__':
    main()
