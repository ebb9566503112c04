"""The fleet spec (what cloud to simulate) and how a cloud is built from it.

A spec comes from a YAML or JSON file (``--fleet FILE``), from command-line
options, or from a ``POST /_sim/reset`` body; every field has a default so
an empty spec is a small working cloud. The initial fleet runs an old
amphora image, so uploading a newer tagged image through Glance makes
every amphora stale, as after an image build.
"""

import dataclasses
import logging

import yaml

from octavia_maint.simulator.compute import models as compute_models
from octavia_maint.simulator.core import ids as sim_ids
from octavia_maint.simulator.core import transitions
from octavia_maint.simulator.identity import models as identity_models
from octavia_maint.simulator.image import models as image_models
from octavia_maint.simulator.octavia import backend as octavia_backend
from octavia_maint.simulator.octavia import models as octavia_models
from octavia_maint.simulator.octavia import settings as octavia_settings

LOG = logging.getLogger(__name__)

DAY = 86400.0
DEFAULT_USERS = ({'name': 'admin', 'password': 'password',
                  'project': 'admin', 'roles': ['admin', 'member', 'reader']},)
AMPHORA_FLAVOR = compute_models.Flavor(
    '65f8f3b2-3bb4-4e2c-a8a0-5a0fd1a6e0c1', 'amphora', vcpus=1, ram=1024,
    disk=3)
TENANT_FLAVOR = compute_models.Flavor('1', 'm1.small', vcpus=1, ram=2048,
                                      disk=20)
OLD_IMAGE_AGE = 60 * DAY
# Seeded resources were created within this window, so that no seeded
# certificate is inside the rotation buffer at start.
SEED_AGE = 10 * DAY


@dataclasses.dataclass(frozen=True)
class FleetSpec:
    """What to simulate. Durations are in simulated seconds."""

    load_balancers: int = 10
    active_standby_ratio: float = 0.0
    hosts: int = 4
    projects: int = 3
    tenant_vms: int = 0
    ovn_ratio: float = 0.0
    error_lbs: int = 0
    orphan_amphora_vms: int = 0
    # What every seeded LB serves (none for LBs created through the API).
    listeners_per_lb: int = 1
    pools_per_listener: int = 1
    members_per_pool: int = 2
    # Each pool has an HTTP health monitor (else its members say
    # NO_MONITOR while they serve).
    health_monitors: bool = True
    # The host a failed compute node left the orphans on (random if None).
    orphan_host: str = None
    image_tag: str = 'amphora'
    failover_seconds: float = 30.0
    failover_jitter: float = 0.0
    time_scale: float = 1.0
    heartbeat_timeout: float = 60.0
    heartbeat_interval: float = 10.0
    cert_interval: float = 60.0
    cert_rotate_seconds: float = 5.0
    amphora_config_seconds: float = 0.0
    server_delete_seconds: float = 0.0
    lb_create_seconds: float = 60.0
    lb_delete_seconds: float = 10.0
    pagination_max_limit: int = 1000
    service_project: str = 'service'
    seed: int = 42
    users: tuple = dataclasses.field(default=DEFAULT_USERS, repr=False)
    # Catalog URLs of services served elsewhere, e.g. {'load-balancer':
    # 'http://127.0.0.1:9876'}: the real Octavia behind the simulator's
    # Keystone, Nova and Glance (tests/contract).
    endpoint_overrides: dict = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.type in (int, float):
                object.__setattr__(self, field.name, field.type(value))
        object.__setattr__(self, 'users', tuple(
            _user(u) for u in self.users))
        self._validate()

    def _validate(self):
        for name in ('load_balancers', 'tenant_vms', 'error_lbs',
                     'orphan_amphora_vms', 'listeners_per_lb',
                     'pools_per_listener', 'members_per_pool',
                     'failover_seconds',
                     'failover_jitter', 'cert_rotate_seconds',
                     'amphora_config_seconds', 'server_delete_seconds',
                     'lb_create_seconds', 'lb_delete_seconds'):
            if getattr(self, name) < 0:
                raise ValueError('%s must not be negative' % name)
        for name in ('hosts', 'projects', 'time_scale', 'heartbeat_timeout',
                     'heartbeat_interval', 'cert_interval',
                     'pagination_max_limit'):
            if getattr(self, name) <= 0:
                raise ValueError('%s must be positive' % name)
        for name in ('active_standby_ratio', 'ovn_ratio'):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError('%s must be between 0 and 1' % name)
        if self.active_standby_ratio and self.hosts < 2:
            raise ValueError('ACTIVE_STANDBY LBs need at least two hosts')
        if not isinstance(self.endpoint_overrides, dict) or not all(
                isinstance(v, str) for v in self.endpoint_overrides.values()):
            raise ValueError('endpoint_overrides maps service types to URLs')
        if self.error_lbs > self.amphora_load_balancers:
            raise ValueError('error_lbs cannot exceed the amphora LBs')
        if (self.orphan_host is not None
                and self.orphan_host not in host_names(self.hosts)):
            raise ValueError('orphan_host must be one of %s'
                             % ', '.join(host_names(self.hosts)))

    @property
    def amphora_load_balancers(self):
        """How many LBs have the amphora provider (the rest are ovn)."""
        return self.load_balancers - round(self.load_balancers
                                           * self.ovn_ratio)

    @classmethod
    def from_mapping(cls, mapping):
        """A spec from a dict; unknown keys raise ValueError."""
        mapping = dict(mapping or {})
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(mapping) - known
        if unknown:
            raise ValueError('unknown fleet settings: %s'
                             % ', '.join(sorted(unknown)))
        return cls(**mapping)

    @classmethod
    def from_file(cls, path):
        """A spec from a YAML (or JSON) file."""
        with open(path, encoding='utf-8') as stream:
            return cls.from_mapping(yaml.safe_load(stream))

    def replace(self, changes):
        """This spec with ``changes`` (a dict) applied and validated."""
        current = self.to_dict(include_secrets=True)
        return self.from_mapping({**current, **(changes or {})})

    def to_dict(self, include_secrets=False):
        """The spec as plain data; passwords are masked unless asked for."""
        result = dataclasses.asdict(self)
        result['users'] = [
            dict(u, roles=list(u['roles']),
                 password=u['password'] if include_secrets else '***')
            for u in self.users]
        return result


def host_names(count):
    """The names of the fleet's compute hosts."""
    return ['compute-%03d' % (n + 1) for n in range(count)]


def _user(user):
    user = dict(user)
    missing = {'name', 'password'} - set(user)
    if missing:
        raise ValueError('a user needs %s' % ', '.join(sorted(missing)))
    user.setdefault('project', user['name'])
    user['roles'] = tuple(user.get('roles', ('member',)))
    return user


def transition_durations(spec):
    """The named transitions of a cloud built from ``spec``."""
    return {
        'failover': transitions.Duration(spec.failover_seconds,
                                         spec.failover_jitter),
        'cert_rotation': transitions.Duration(spec.cert_rotate_seconds),
        'amphora_config': transitions.Duration(spec.amphora_config_seconds),
        'server_delete': transitions.Duration(spec.server_delete_seconds),
        'lb_create': transitions.Duration(spec.lb_create_seconds),
        'lb_delete': transitions.Duration(spec.lb_delete_seconds),
    }


def build(cloud, spec):
    """Create the cloud's service backends and seed them from ``spec``."""
    now = cloud.clock.now()
    rng, ids = cloud.rng, cloud.ids
    identity = cloud.identity = identity_models.IdentityBackend(ids)
    for user in spec.users:
        identity.add_user(user['name'], user['password'], user['project'],
                          user['roles'])
    service_user = identity.add_user('octavia', ids.secret(),
                                     spec.service_project,
                                     ('admin', 'service'))
    projects = [identity.add_project('project-%02d' % (n + 1)).id
                for n in range(spec.projects)]

    image = cloud.image = image_models.ImageBackend(cloud.clock, ids)
    amphora_image = image.add_active_image(
        'amphora-x64-haproxy-old', service_user.project.id,
        [spec.image_tag], created_at=now - OLD_IMAGE_AGE, size=4096)
    tenant_image = image.add_active_image(
        'cirros-0.6.2-x86_64-disk', service_user.project.id, [],
        created_at=now - OLD_IMAGE_AGE, size=1024)
    tenant_image.visibility = 'public'

    compute = cloud.compute = compute_models.ComputeBackend(
        cloud.clock, ids, cloud.transitions, cloud.stats)
    hosts = host_names(spec.hosts)
    for host in hosts:
        compute.add_service('nova-compute', host, 'nova')
    for binary in ('nova-scheduler', 'nova-conductor'):
        compute.add_service(binary, 'controller', 'internal')

    settings = octavia_settings.OctaviaSettings(
        service_project_id=service_user.project.id,
        service_user_id=service_user.id, amp_flavor=AMPHORA_FLAVOR,
        amp_image_tag=spec.image_tag,
        heartbeat_timeout=spec.heartbeat_timeout,
        heartbeat_interval=spec.heartbeat_interval,
        cert_interval=spec.cert_interval,
        pagination_max_limit=spec.pagination_max_limit)
    octavia = cloud.octavia = octavia_backend.OctaviaBackend(
        cloud, settings, heartbeat_key=ids.secret())
    with octavia.amphorae.batch():
        _seed_load_balancers(spec, octavia, rng, projects, hosts,
                             amphora_image.id, now)
    _seed_servers(spec, compute, rng, ids, projects, hosts, settings,
                  amphora_image.id, tenant_image.id, now)
    LOG.debug("Built a simulated fleet of %d LBs on %d hosts",
              spec.load_balancers, spec.hosts)


def _seed_load_balancers(spec, octavia, rng, projects, hosts, image_id, now):
    traffic = (spec.listeners_per_lb, spec.pools_per_listener,
               spec.members_per_pool, spec.health_monitors)
    amphora_lbs = spec.amphora_load_balancers
    active_standby = round(amphora_lbs * spec.active_standby_ratio)
    for n in range(spec.load_balancers):
        created = now - SEED_AGE + SEED_AGE * n / max(1, spec.load_balancers)
        if n < amphora_lbs:
            topology = (octavia_models.TOPOLOGY_ACTIVE_STANDBY
                        if n < active_standby
                        else octavia_models.TOPOLOGY_SINGLE)
            provider = octavia_models.PROVIDER_AMPHORA
            placed = rng.sample(hosts, len(
                octavia_models.ROLES_BY_TOPOLOGY[topology]))
        else:
            topology, provider, placed = (octavia_models.TOPOLOGY_SINGLE,
                                          'ovn', [])
        status = (octavia_models.ERROR
                  if amphora_lbs - spec.error_lbs <= n < amphora_lbs
                  else octavia_models.ACTIVE)
        octavia.create_load_balancer(
            'lb-%05d' % (n + 1), projects[n % len(projects)], topology,
            created_at=created, provider=provider, image_id=image_id,
            hosts=placed, provisioning_status=status, traffic=traffic)


def _seed_servers(spec, compute, rng, ids, projects, hosts, settings,
                  amphora_image_id, tenant_image_id, now):
    tenant_network = sim_ids.AddressPool('192.168.0.0/16')
    for n in range(spec.tenant_vms):
        compute.create_server(
            'vm-%05d' % (n + 1), projects[n % len(projects)], ids.hex(),
            tenant_image_id, TENANT_FLAVOR, rng.choice(hosts), 'private',
            tenant_network.allocate(), created=now - rng.uniform(0, SEED_AGE))
    # The top of lb-mgmt-net (172.16.0.0/12), far from live amphorae.
    orphan_network = sim_ids.AddressPool('172.31.0.0/16')
    for _ in range(spec.orphan_amphora_vms):
        # Left behind by a failed host: no amphora record points at it.
        compute.create_server(
            'amphora-%s' % ids.uuid(), settings.service_project_id,
            settings.service_user_id, amphora_image_id, AMPHORA_FLAVOR,
            spec.orphan_host or rng.choice(hosts), settings.lb_network_name,
            orphan_network.allocate(), created=now - rng.uniform(0, SEED_AGE))
