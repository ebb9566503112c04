"""``octavia-maint-simulator``: serve a simulated cloud in the foreground.

Prints the URL and a ready ``clouds.yaml`` (cloud ``octavia-maint-sim``),
or writes it with ``--write-clouds-yaml PATH``; stops on SIGINT/SIGTERM.
Options override the values of a ``--fleet`` file.
"""

import argparse
import logging
import signal
import sys
import threading

import sqlalchemy
import yaml

from octavia_maint.simulator import fleet
from octavia_maint.simulator import server

# (option, spec field, type, help) for every fleet setting on the command line.
FLEET_OPTIONS = (
    ('--load-balancers', 'load_balancers', int, 'Number of load balancers.'),
    ('--active-standby-ratio', 'active_standby_ratio', float,
     'Share of amphora LBs with ACTIVE_STANDBY topology (0 to 1).'),
    ('--hosts', 'hosts', int, 'Number of nova-compute hosts.'),
    ('--projects', 'projects', int, 'Number of tenant projects.'),
    ('--tenant-vms', 'tenant_vms', int,
     'Non-amphora servers of tenant projects on the same hosts.'),
    ('--ovn-ratio', 'ovn_ratio', float,
     'Share of LBs with provider ovn (no amphorae).'),
    ('--error-lbs', 'error_lbs', int,
     'Amphora LBs that start in provisioning status ERROR.'),
    ('--orphan-amphora-vms', 'orphan_amphora_vms', int,
     'amphora-<uuid> servers whose amphora no longer exists.'),
    ('--orphan-host', 'orphan_host', str,
     'Host the orphan amphora servers are on (default: random hosts).'),
    ('--listeners-per-lb', 'listeners_per_lb', int,
     'HTTP listeners of every seeded load balancer.'),
    ('--pools-per-listener', 'pools_per_listener', int,
     'Pools of every listener.'),
    ('--members-per-pool', 'members_per_pool', int,
     'Members of every pool.'),
    ('--image-tag', 'image_tag', str,
     'Glance tag of the amphora image ([controller_worker] amp_image_tag).'),
    ('--failover-seconds', 'failover_seconds', float,
     'Simulated seconds a failover stays PENDING_UPDATE.'),
    ('--failover-jitter', 'failover_jitter', float,
     'Plus or minus this many seconds on each failover.'),
    ('--server-delete-seconds', 'server_delete_seconds', float,
     'Simulated seconds a deleted server stays in task state deleting.'),
    ('--time-scale', 'time_scale', float,
     'How many times faster than real time the simulated clock runs.'),
    ('--heartbeat-timeout', 'heartbeat_timeout', float,
     'Seconds before the health manager fails over a silent amphora.'),
    ('--heartbeat-interval', 'heartbeat_interval', float,
     'Seconds between two heartbeats of an amphora.'),
    ('--cert-interval', 'cert_interval', float,
     'Seconds between certificate housekeeping runs.'),
    ('--pagination-max-limit', 'pagination_max_limit', int,
     'Octavia page size ([api_settings] pagination_max_limit).'),
    ('--seed', 'seed', int, 'Random seed for ids and placement.'),
)


def build_parser():
    parser = argparse.ArgumentParser(
        prog='octavia-maint-simulator',
        description='Serve a simulated OpenStack cloud (Keystone, Octavia, '
                    'Nova, Glance) for octavia-maint.')
    parser.add_argument('--host', default='127.0.0.1',
                        help='Address to listen on.')
    parser.add_argument('--port', type=int, default=0,
                        help='Port to listen on (0 picks a free port).')
    parser.add_argument('--fleet', metavar='FILE',
                        help='YAML or JSON fleet spec; options override it.')
    parser.add_argument('--write-clouds-yaml', metavar='PATH',
                        help='Write the clouds.yaml here instead of printing '
                             'it.')
    parser.add_argument('--debug', action='store_true',
                        help='Log every request.')
    parser.add_argument('--octavia-db', metavar='URL',
                        help='Keep the amphora table in this SQLite file '
                             '(sqlite:///PATH) instead of a temporary one; '
                             'give it to octavia-maint as [octavia_db] '
                             'connection.')
    for option, field, kind, help_text in FLEET_OPTIONS:
        parser.add_argument(option, dest=field, type=kind, default=None,
                            help=help_text)
    return parser


def fleet_spec(args):
    """The spec from ``--fleet`` with the given options applied."""
    spec = (fleet.FleetSpec.from_file(args.fleet) if args.fleet
            else fleet.FleetSpec())
    overrides = {field: getattr(args, field)
                 for _option, field, _kind, _help in FLEET_OPTIONS
                 if getattr(args, field) is not None}
    return spec.replace(overrides)


def main(argv=None):
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.INFO,
        format='%(asctime)s %(levelname)s %(name)s %(message)s')
    try:
        spec = fleet_spec(args)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print('octavia-maint-simulator: %s' % exc, file=sys.stderr)
        return 2

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())

    try:
        simulator = server.Simulator(spec, host=args.host, port=args.port,
                                     octavia_db_url=args.octavia_db)
    except (ValueError, sqlalchemy.exc.SQLAlchemyError) as exc:
        print('octavia-maint-simulator: %s' % exc, file=sys.stderr)
        return 2
    simulator.start()
    try:
        clouds = yaml.safe_dump(simulator.clouds_yaml(), sort_keys=False)
        print('Cloud simulator listening on %s' % simulator.url)
        print('Control API: %s/_sim/stats' % simulator.url)
        print('Octavia database ([octavia_db] connection): %s'
              % simulator.octavia_db_url)
        if args.write_clouds_yaml:
            with open(args.write_clouds_yaml, 'w', encoding='utf-8') as out:
                out.write(clouds)
            print('Wrote %s (cloud %s)' % (args.write_clouds_yaml,
                                           server.CLOUD_NAME))
        else:
            print('# clouds.yaml\n' + clouds, end='')
        sys.stdout.flush()
        stop.wait()
    finally:
        simulator.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
