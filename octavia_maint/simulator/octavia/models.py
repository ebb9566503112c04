"""Octavia's resources as the API shows them: load balancers, amphorae,
listeners, pools and members.

Field names and types follow ``octavia/api/v2/types/load_balancer.py``,
``types/amphora.py``, ``types/listener.py``, ``types/pool.py`` and
``types/member.py``; timestamps are WSME datetimes
(``2024-05-01T10:20:30``). A few fields are the simulator's own
bookkeeping and never go on the wire: an LB's topology, an amphora's
heartbeat key, since when it is stale, its CA and whether it passes
traffic.

Listeners, pools, health monitors and members are seeded by the fleet and
read-only. Their operating status is their load balancer's (what
Octavia's health manager reports from the amphorae's heartbeats): ONLINE
while its amphorae pass traffic, ERROR when one does not, OFFLINE before
the first heartbeat; a member no monitor checks says NO_MONITOR instead
of ONLINE, as in Octavia. They hold only ids and what differs between
them, so that a 10,000-LB fleet stays small; the rest of their wire form
is constant.
"""

import dataclasses

from octavia_maint.simulator.core import wire

# Provisioning and operating statuses.
ACTIVE = 'ACTIVE'
ERROR = 'ERROR'
PENDING_CREATE = 'PENDING_CREATE'
PENDING_UPDATE = 'PENDING_UPDATE'
PENDING_DELETE = 'PENDING_DELETE'
ONLINE = 'ONLINE'
OFFLINE = 'OFFLINE'
# Statuses in which Octavia accepts a failover or a delete (409 otherwise).
FAILOVERABLE_STATUSES = (ACTIVE, ERROR)
MUTABLE_STATUSES = (ACTIVE, ERROR)
# Amphora statuses and roles.
AMPHORA_ALLOCATED = 'ALLOCATED'
ROLE_STANDALONE = 'STANDALONE'
ROLE_MASTER = 'MASTER'
ROLE_BACKUP = 'BACKUP'
TOPOLOGY_SINGLE = 'SINGLE'
TOPOLOGY_ACTIVE_STANDBY = 'ACTIVE_STANDBY'
ROLES_BY_TOPOLOGY = {TOPOLOGY_SINGLE: (ROLE_STANDALONE,),
                     TOPOLOGY_ACTIVE_STANDBY: (ROLE_MASTER, ROLE_BACKUP)}
VRRP_PRIORITIES = {ROLE_MASTER: 100, ROLE_BACKUP: 90}
PROVIDER_AMPHORA = 'amphora'
# The flavors every simulated cloud has, one per topology (the octavia-peer
# tool creates the same two in the real Octavia).
FLAVOR_TOPOLOGIES = {'amphora-single': TOPOLOGY_SINGLE,
                     'amphora-active-standby': TOPOLOGY_ACTIVE_STANDBY}

LOAD_BALANCER_FIELDS = (
    'id', 'name', 'description', 'provisioning_status', 'operating_status',
    'admin_state_up', 'project_id', 'created_at', 'updated_at',
    'vip_address', 'vip_port_id', 'vip_subnet_id', 'vip_network_id',
    'vip_qos_policy_id', 'vip_vnic_type', 'provider', 'flavor_id',
    'availability_zone')
AMPHORA_FIELDS = (
    'id', 'loadbalancer_id', 'compute_id', 'lb_network_ip', 'vrrp_ip',
    'ha_ip', 'vrrp_port_id', 'ha_port_id', 'cert_expiration', 'cert_busy',
    'role', 'status', 'vrrp_interface', 'vrrp_id', 'vrrp_priority',
    'cached_zone', 'created_at', 'updated_at', 'image_id', 'compute_flavor')
FLAVOR_FIELDS = ('id', 'name', 'description', 'enabled', 'flavor_profile_id')
# The fields a listener, pool or member listing may filter and sort on.
LISTENER_FIELDS = (
    'id', 'name', 'description', 'provisioning_status', 'operating_status',
    'admin_state_up', 'protocol', 'protocol_port', 'connection_limit',
    'project_id', 'default_pool_id', 'created_at', 'updated_at')
POOL_FIELDS = (
    'id', 'name', 'description', 'provisioning_status', 'operating_status',
    'admin_state_up', 'protocol', 'lb_algorithm', 'project_id',
    'created_at', 'updated_at')
HEALTH_MONITOR_FIELDS = (
    'id', 'name', 'provisioning_status', 'operating_status',
    'admin_state_up', 'type', 'delay', 'timeout', 'max_retries',
    'max_retries_down', 'http_method', 'url_path', 'expected_codes',
    'project_id', 'created_at', 'updated_at')
MEMBER_FIELDS = (
    'id', 'name', 'provisioning_status', 'operating_status',
    'admin_state_up', 'address', 'protocol_port', 'weight', 'backup',
    'subnet_id', 'project_id', 'monitor_address', 'monitor_port',
    'created_at', 'updated_at')
# An amphora is listed by its own fields and its load balancer's project.
AMPHORA_FILTER_FIELDS = AMPHORA_FIELDS + ('project_id',)
TIMESTAMP_FIELDS = ('created_at', 'updated_at', 'cert_expiration')


def wire_fields(obj, fields):
    """The fields of ``obj`` as the API writes them (timestamps formatted)."""
    result = {field: getattr(obj, field) for field in fields}
    for field in TIMESTAMP_FIELDS:
        if field in result:
            result[field] = wire.iso_seconds(result[field])
    return result


@dataclasses.dataclass
class LoadBalancer:
    id: str
    name: str
    project_id: str
    topology: str
    vip_address: str
    vip_port_id: str
    vip_subnet_id: str
    vip_network_id: str
    created_at: float
    updated_at: float
    provider: str = PROVIDER_AMPHORA
    description: str = ''
    provisioning_status: str = ACTIVE
    operating_status: str = ONLINE
    admin_state_up: bool = True
    flavor_id: str = None
    availability_zone: str = None
    vip_qos_policy_id: str = None
    vip_vnic_type: str = 'normal'
    tags: list = dataclasses.field(default_factory=list)
    # Its seeded listeners' and pools' ids (listeners.ListenerStore).
    listener_ids: tuple = ()
    pool_ids: tuple = ()

    def to_dict(self):
        result = wire_fields(self, LOAD_BALANCER_FIELDS)
        result.update(listeners=[{'id': i} for i in self.listener_ids],
                      pools=[{'id': i} for i in self.pool_ids],
                      additional_vips=[],
                      vip_sg_ids=[], tags=list(self.tags),
                      tenant_id=self.project_id)
        return result


@dataclasses.dataclass
class Flavor:
    """An Octavia flavor; its profile's only setting here is the topology."""

    id: str
    name: str
    flavor_profile_id: str
    topology: str
    description: str = ''
    enabled: bool = True

    def to_dict(self):
        return {'id': self.id, 'name': self.name,
                'description': self.description, 'enabled': self.enabled,
                'flavor_profile_id': self.flavor_profile_id}


@dataclasses.dataclass
class Amphora:
    id: str
    loadbalancer_id: str
    compute_id: str
    lb_network_ip: str
    vrrp_ip: str
    ha_ip: str
    vrrp_port_id: str
    ha_port_id: str
    cert_expiration: float
    role: str
    image_id: str
    compute_flavor: str
    created_at: float
    updated_at: float
    heartbeat_key: str = dataclasses.field(default=None, repr=False)
    heartbeat_stale_since: float = None
    # False when it booted from what fault injection calls bad (an image,
    # a heartbeat key, a CA): ACTIVE, but its listeners do not serve.
    passes_traffic: bool = True
    # The CA its certificate was signed with when it booted.
    ca_id: str = None
    cert_busy: bool = False
    status: str = AMPHORA_ALLOCATED
    vrrp_interface: str = None
    vrrp_id: int = None
    vrrp_priority: int = None
    cached_zone: str = 'nova'

    def to_dict(self):
        return wire_fields(self, AMPHORA_FIELDS)


# What every seeded listener, pool, health monitor and member has in
# common: Octavia's defaults for an HTTP listener with a ROUND_ROBIN pool
# and an HTTP health monitor.
_LISTENER_CONSTANTS = {
    'description': '', 'admin_state_up': True, 'protocol': 'HTTP',
    'connection_limit': -1, 'default_tls_container_ref': None,
    'sni_container_refs': [], 'l7policies': [], 'insert_headers': {},
    'timeout_client_data': 50000, 'timeout_member_connect': 5000,
    'timeout_member_data': 50000, 'timeout_tcp_inspect': 0, 'tags': [],
    'client_ca_tls_container_ref': None, 'client_authentication': 'NONE',
    'client_crl_container_ref': None, 'allowed_cidrs': None,
    'tls_ciphers': None, 'tls_versions': None, 'alpn_protocols': None,
    'hsts_max_age': None, 'hsts_include_subdomains': False,
    'hsts_preload': False}
_POOL_CONSTANTS = {
    'description': '', 'admin_state_up': True, 'protocol': 'HTTP',
    'lb_algorithm': 'ROUND_ROBIN', 'session_persistence': None,
    'tags': [], 'tls_container_ref': None, 'ca_tls_container_ref': None,
    'crl_container_ref': None, 'tls_enabled': False, 'tls_ciphers': None,
    'tls_versions': None, 'alpn_protocols': None}
_HEALTH_MONITOR_CONSTANTS = {
    'admin_state_up': True, 'type': 'HTTP', 'delay': 5, 'timeout': 3,
    'max_retries': 3, 'max_retries_down': 3, 'http_method': 'GET',
    'http_version': None, 'url_path': '/', 'expected_codes': '200',
    'domain_name': None, 'tags': []}
_MEMBER_CONSTANTS = {
    'admin_state_up': True, 'weight': 1, 'backup': False,
    'monitor_address': None, 'monitor_port': None, 'tags': [],
    'vnic_type': 'normal'}
# A member nothing checks: Octavia reports it so while its LB serves.
NO_MONITOR = 'NO_MONITOR'


def _constants(constants):
    """A fresh copy (the lists and dicts are the caller's to change)."""
    return {k: (type(v)() if isinstance(v, (list, dict)) else v)
            for k, v in constants.items()}


def _common(child):
    """The fields every child shows alike, from its load balancer."""
    lb = child.lb
    return {'id': child.id, 'name': child.name, 'project_id': lb.project_id,
            'tenant_id': lb.project_id, 'provisioning_status': ACTIVE,
            'operating_status': child.operating_status,
            'created_at': wire.iso_seconds(lb.created_at),
            'updated_at': wire.iso_seconds(lb.created_at)}


class _Child:
    """What listeners, pools, health monitors and members share."""

    __slots__ = ()
    CONSTANTS = {}

    @property
    def project_id(self):
        return self.lb.project_id

    @property
    def operating_status(self):
        """Its load balancer's (what the health manager reports)."""
        return self.lb.operating_status

    def field(self, name):
        """A field's model value, for filters and sort keys."""
        if name == 'provisioning_status':
            return ACTIVE
        if name in ('loadbalancer_id', 'load_balancer_id'):
            return self.lb.id
        if name in ('created_at', 'updated_at'):
            return self.lb.created_at
        if name in self.CONSTANTS:
            return self.CONSTANTS[name]
        return getattr(self, name)


@dataclasses.dataclass(slots=True)
class Listener(_Child):
    CONSTANTS = _LISTENER_CONSTANTS

    id: str
    lb: LoadBalancer
    name: str
    protocol_port: int
    pool_ids: tuple = ()

    @property
    def default_pool_id(self):
        return self.pool_ids[0] if self.pool_ids else None

    def to_dict(self):
        result = _constants(self.CONSTANTS)
        result.update(_common(self), protocol_port=self.protocol_port,
                      default_pool_id=self.default_pool_id,
                      loadbalancers=[{'id': self.lb.id}])
        return result


@dataclasses.dataclass(slots=True)
class Pool(_Child):
    CONSTANTS = _POOL_CONSTANTS

    id: str
    lb: LoadBalancer
    name: str
    listener_id: str
    member_ids: tuple = ()
    healthmonitor_id: str = None

    def to_dict(self):
        result = _constants(self.CONSTANTS)
        result.update(_common(self), loadbalancers=[{'id': self.lb.id}],
                      listeners=[{'id': self.listener_id}],
                      members=[{'id': m} for m in self.member_ids])
        if self.healthmonitor_id:
            # Octavia leaves the key out of a pool with no monitor.
            result['healthmonitor_id'] = self.healthmonitor_id
        return result


@dataclasses.dataclass(slots=True)
class HealthMonitor(_Child):
    CONSTANTS = _HEALTH_MONITOR_CONSTANTS

    id: str
    lb: LoadBalancer
    name: str
    pool_id: str

    def to_dict(self):
        result = _constants(self.CONSTANTS)
        result.update(_common(self), pools=[{'id': self.pool_id}])
        return result


@dataclasses.dataclass(slots=True)
class Member(_Child):
    CONSTANTS = _MEMBER_CONSTANTS

    id: str
    lb: LoadBalancer
    pool_id: str
    name: str
    address: str
    protocol_port: int
    monitored: bool = True

    @property
    def subnet_id(self):
        return self.lb.vip_subnet_id

    @property
    def operating_status(self):
        """Its LB's, but NO_MONITOR for a serving one with no monitor."""
        status = self.lb.operating_status
        if status == ONLINE and not self.monitored:
            return NO_MONITOR
        return status

    def to_dict(self):
        result = _constants(self.CONSTANTS)
        result.update(_common(self), address=self.address,
                      protocol_port=self.protocol_port,
                      subnet_id=self.subnet_id)
        return result


def status_tree(lb, listeners, pools, health_monitors, members):
    """``GET .../loadbalancers/{id}/status``'s ``statuses.loadbalancer``.

    :param listeners: the LB's listeners; ``pools``, ``health_monitors``
        and ``members`` map ids to objects.
    """
    def statuses(child, **more):
        return {'id': child.id, 'name': child.name,
                'operating_status': child.operating_status,
                'provisioning_status': ACTIVE, **more}

    def pool_status(pool):
        monitor = health_monitors.get(pool.healthmonitor_id)
        return statuses(
            pool, health_monitor=(None if monitor is None else statuses(
                monitor, type=monitor.CONSTANTS['type'])),
            members=[statuses(members[m], address=members[m].address,
                              protocol_port=members[m].protocol_port)
                     for m in pool.member_ids])

    return {'id': lb.id, 'name': lb.name,
            'operating_status': lb.operating_status,
            'provisioning_status': lb.provisioning_status,
            'listeners': [
                statuses(listener, pools=[pool_status(pools[p])
                                          for p in listener.pool_ids])
                for listener in listeners]}
