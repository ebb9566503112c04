"""Octavia's resources as the API shows them: load balancers and amphorae.

Field names and types follow ``octavia/api/v2/types/load_balancer.py`` and
``types/amphora.py``; timestamps are WSME datetimes (``2024-05-01T10:20:30``).
A few fields are the simulator's own bookkeeping and never go on the wire:
an LB's topology, an amphora's heartbeat key and since when it is stale.
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

    def to_dict(self):
        result = wire_fields(self, LOAD_BALANCER_FIELDS)
        result.update(listeners=[], pools=[], additional_vips=[],
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
    cert_busy: bool = False
    status: str = AMPHORA_ALLOCATED
    vrrp_interface: str = None
    vrrp_id: int = None
    vrrp_priority: int = None
    cached_zone: str = 'nova'

    def to_dict(self):
        return wire_fields(self, AMPHORA_FIELDS)
