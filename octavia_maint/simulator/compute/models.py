"""Nova's state and rules: servers on compute hosts and compute services.

Gaps: no server create API (servers come from the fleet and from Octavia's
failovers), no flavors API (the flavor is embedded from 2.47 on), no
deleted-server listing; ``changes-since`` and tag filters are not modelled.
"""

import dataclasses
import hashlib
import re

from octavia_maint.simulator.compute import exceptions
from octavia_maint.simulator.core import listing
from octavia_maint.simulator.core import wire

# Nova's sort keys (a subset) mapped to Server attributes.
SORT_KEYS = {'created_at': 'created', 'updated_at': 'updated',
             'display_name': 'name', 'uuid': 'id', 'host': 'host',
             'project_id': 'project_id', 'launched_at': 'created'}
SERVER_GETTERS = {key: (lambda server, a=attribute: getattr(server, a))
                  for key, attribute in SORT_KEYS.items()}
# The server list filters modelled; Nova ignores unknown ones.
SERVER_FILTERS = ('project_id', 'tenant_id', 'name', 'ip', 'status', 'image',
                  'flavor', 'uuid', 'host')


def _bad_request(template):
    return lambda value: exceptions.BadRequest(reason=template % value)


def _read_sort(args):
    """Nova's spelling: repeated ``sort_key`` and ``sort_dir``."""
    keys = args.getlist('sort_key') or ['created_at']
    dirs = args.getlist('sort_dir')
    return [(key, dirs[index] if index < len(dirs) else None)
            for index, key in enumerate(keys)]


SERVERS = listing.Paginator(
    sort_keys=SORT_KEYS, read_sort=_read_sort, default_direction='desc',
    tie_breakers=('uuid',),
    errors=listing.PagingErrors(
        limit=lambda value: exceptions.BadRequest(
            reason='limit param must be an integer'),
        negative_limit=lambda value: exceptions.BadRequest(
            reason='limit param must be positive'),
        marker=_bad_request('marker [%s] not found'),
        sort_key=_bad_request('Invalid sort_key: %s'),
        sort_dir=_bad_request('Invalid sort_dir: %s')))
SERVICE_FIELDS = ('status', 'disabled_reason', 'forced_down')


@dataclasses.dataclass(frozen=True)
class Flavor:
    id: str
    name: str
    vcpus: int
    ram: int
    disk: int

    def to_dict(self, microversion, compute_url):
        if microversion >= (2, 47):
            return {'vcpus': self.vcpus, 'ram': self.ram, 'disk': self.disk,
                    'ephemeral': 0, 'swap': 0, 'original_name': self.name,
                    'extra_specs': {}}
        href = '%s/flavors/%s' % (compute_url, self.id)
        return {'id': self.id, 'links': [{'rel': 'bookmark', 'href': href}]}


@dataclasses.dataclass
class Server:
    id: str
    name: str
    project_id: str
    user_id: str
    host: str
    image_id: str
    flavor: Flavor
    network: str
    ip_address: str
    mac_address: str
    created: float
    updated: float
    instance_number: int
    status: str = 'ACTIVE'
    task_state: str = None

    def to_dict(self, microversion, compute_url):
        link = '%s/v2.1/servers/%s' % (compute_url, self.id)
        result = {
            'id': self.id, 'name': self.name, 'status': self.status,
            'tenant_id': self.project_id, 'user_id': self.user_id,
            'metadata': {},
            'hostId': hashlib.sha224(
                (self.project_id + self.host).encode()).hexdigest(),
            'image': {'id': self.image_id, 'links': [{
                'rel': 'bookmark',
                'href': '%s/images/%s' % (compute_url, self.image_id)}]},
            'flavor': self.flavor.to_dict(microversion, compute_url),
            'created': wire.iso_z(self.created),
            'updated': wire.iso_z(self.updated),
            'addresses': {self.network: [{
                'version': 4, 'addr': self.ip_address,
                'OS-EXT-IPS:type': 'fixed',
                'OS-EXT-IPS-MAC:mac_addr': self.mac_address}]},
            'accessIPv4': '', 'accessIPv6': '',
            'links': [{'rel': 'self', 'href': link}],
            'OS-DCF:diskConfig': 'MANUAL',
            'progress': 0,
            'OS-EXT-AZ:availability_zone': 'nova',
            'config_drive': 'True',
            'key_name': None,
            'OS-SRV-USG:launched_at': wire.iso_micro(self.created),
            'OS-SRV-USG:terminated_at': None,
            'OS-EXT-SRV-ATTR:host': self.host,
            'OS-EXT-SRV-ATTR:hypervisor_hostname': self.host,
            'OS-EXT-SRV-ATTR:instance_name':
                'instance-%08x' % self.instance_number,
            'OS-EXT-STS:task_state': self.task_state,
            'OS-EXT-STS:vm_state': 'active',
            'OS-EXT-STS:power_state': 1,
            'os-extended-volumes:volumes_attached': [],
            'security_groups': [{'name': 'default'}],
        }
        if microversion >= (2, 3):
            result.update({
                'OS-EXT-SRV-ATTR:reservation_id': 'r-%s' % self.id[:8],
                'OS-EXT-SRV-ATTR:launch_index': 0,
                'OS-EXT-SRV-ATTR:hostname': self.name,
                'OS-EXT-SRV-ATTR:kernel_id': '',
                'OS-EXT-SRV-ATTR:ramdisk_id': '',
                'OS-EXT-SRV-ATTR:root_device_name': '/dev/vda',
                'OS-EXT-SRV-ATTR:user_data': None})
        if microversion >= (2, 9):
            result['locked'] = False
        if microversion >= (2, 16):
            result['host_status'] = 'UP'
        if microversion >= (2, 19):
            result['description'] = None
        if microversion >= (2, 26):
            result['tags'] = []
        if microversion >= (2, 73):
            result['locked_reason'] = None
        return result


@dataclasses.dataclass
class ComputeService:
    id: str
    binary: str
    host: str
    zone: str
    updated_at: float
    status: str = 'enabled'
    disabled_reason: str = None
    forced_down: bool = False

    def to_dict(self):
        return {'id': self.id, 'binary': self.binary, 'host': self.host,
                'zone': self.zone, 'status': self.status,
                'disabled_reason': self.disabled_reason,
                'state': 'down' if self.forced_down else 'up',
                'forced_down': self.forced_down,
                'updated_at': wire.iso_micro(self.updated_at)}


class ComputeBackend:
    """Servers and services; one method per Nova action."""

    def __init__(self, clock, ids, transitions, stats):
        self._clock = clock
        self._stats = stats
        self._ids = ids
        self._transitions = transitions
        self._servers = {}
        self._services = {}
        self._instance_numbers = iter(range(1, 1 << 32))

    # -- servers -----------------------------------------------------------

    def create_server(self, name, project_id, user_id, image_id, flavor,
                      host, network, ip_address, created=None,
                      server_id=None):
        """Boot a server at once (used by the fleet and by Octavia).

        :param server_id: the id to give it (a server another Octavia
            booted, see ``/_sim/servers``); a new one when None.
        """
        now = self._clock.now() if created is None else created
        server = Server(id=server_id or self._ids.uuid(), name=name,
                        project_id=project_id, user_id=user_id, host=host,
                        image_id=image_id, flavor=flavor, network=network,
                        ip_address=ip_address, mac_address=self._ids.mac(),
                        created=now, updated=now,
                        instance_number=next(self._instance_numbers))
        self._servers[server.id] = server
        return server

    def get_server(self, server_id):
        server = self.find_server(server_id)
        if server is None:
            raise exceptions.InstanceNotFound(instance_id=server_id)
        return server

    def find_server(self, server_id):
        """The server, or None (for callers that tolerate a missing one)."""
        return self._servers.get(server_id)

    def delete_server(self, server_id):
        """Start deleting; the server disappears after ``server_delete``."""
        server = self.get_server(server_id)
        self._stats.server_deletes_by_id[server_id] += 1
        if server.task_state != 'deleting':
            server.task_state = 'deleting'
            server.updated = self._clock.now()
            self._transitions.schedule('server_delete', self._servers.pop,
                                       server_id, None)

    def list_servers(self, context, filters, page, all_tenants=False):
        """Filter, sort and page as ``GET /servers/detail`` does.

        :param filters: ``{name: value}`` of :data:`SERVER_FILTERS`.
        :param page: a :class:`listing.PageRequest` of :data:`SERVERS`.
        :param all_tenants: every project's servers (admins only).
        """
        if all_tenants and not context.is_admin:
            raise exceptions.Forbidden(
                rule='os_compute_api:servers:index:get_all_tenants')
        if all_tenants:
            project = filters.get('project_id') or filters.get('tenant_id')
        else:
            project = context.project_id
        predicates = _server_predicates(filters, context.is_admin)
        return page.page(
            [s for s in self._servers.values()
             if (project is None or s.project_id == project)
             and all(p(s) for p in predicates)], SERVER_GETTERS)

    # -- services ----------------------------------------------------------

    def add_service(self, binary, host, zone):
        service = ComputeService(self._ids.uuid(), binary, host, zone,
                                 updated_at=self._clock.now())
        self._services[service.id] = service
        return service

    def list_services(self, binary=None, host=None):
        return [s for s in self._services.values()
                if (binary is None or s.binary == binary)
                and (host is None or s.host == host)]

    def update_service(self, service_id, changes):
        """``PUT /os-services/{id}`` (2.53+): enable, disable, force down."""
        service = self._services.get(service_id)
        if service is None:
            raise exceptions.ServiceNotFound(service_id=service_id)
        _validate_service_update(service, changes)
        if 'status' in changes:
            self._stats.service_status_changed(service.host,
                                               changes['status'])
            service.status = changes['status']
            service.disabled_reason = (changes.get('disabled_reason')
                                       if service.status == 'disabled'
                                       else None)
        if 'forced_down' in changes:
            service.forced_down = changes['forced_down']
        service.updated_at = self._clock.now()
        return service

    def enabled_compute_hosts(self):
        """Hosts the scheduler may place a new server on."""
        return sorted(s.host for s in self._services.values()
                      if s.binary == 'nova-compute' and s.status == 'enabled'
                      and not s.forced_down)

    def summary(self):
        return {
            'servers': len(self._servers),
            'hosts': {s.host: {'status': s.status,
                               'disabled_reason': s.disabled_reason}
                      for s in self._services.values()
                      if s.binary == 'nova-compute'},
        }


def _validate_service_update(service, changes):
    if not isinstance(changes, dict) or not changes:
        raise exceptions.BadRequest(reason='Invalid input for the service '
                                           'update: an object is required.')
    unknown = set(changes) - set(SERVICE_FIELDS)
    if unknown:
        raise exceptions.BadRequest(
            reason="Additional properties are not allowed (%s were "
                   "unexpected)" % ', '.join(sorted(unknown)))
    status = changes.get('status')
    if status not in (None, 'enabled', 'disabled'):
        raise exceptions.BadRequest(
            reason="Invalid input for field/attribute status. Value: %s. "
                   "'%s' is not one of ['enabled', 'disabled']"
                   % (status, status))
    if 'disabled_reason' in changes and status != 'disabled':
        raise exceptions.BadRequest(
            reason="Specifying 'disabled_reason' with status '%s' is "
                   "invalid." % (status or 'enabled'))
    if not isinstance(changes.get('forced_down', False), bool):
        raise exceptions.BadRequest(
            reason='Invalid input for field/attribute forced_down.')
    if service.binary != 'nova-compute':
        raise exceptions.BadRequest(
            reason='Updating a %s service is not supported. Only '
                   'nova-compute services can be updated.' % service.binary)


def _server_predicates(filters, is_admin):
    predicates = []
    # Nova matches name and ip as regular expressions.
    for key, attribute in (('name', 'name'), ('ip', 'ip_address')):
        value = filters.get(key)
        if value:
            try:
                pattern = re.compile(value)
            except re.error:
                raise exceptions.BadRequest(
                    reason='Invalid regex for %s: %s' % (key, value)) \
                    from None
            predicates.append(
                lambda s, p=pattern, a=attribute: p.search(getattr(s, a)))
    exact = {'status': lambda s: s.status, 'image': lambda s: s.image_id,
             'flavor': lambda s: s.flavor.id, 'uuid': lambda s: s.id}
    if is_admin:
        # Nova drops the host filter for everyone but admins.
        exact['host'] = lambda s: s.host
    for key, getter in exact.items():
        wanted = filters.get(key)
        if wanted:
            wanted = wanted.upper() if key == 'status' else wanted
            predicates.append(lambda s, g=getter, w=wanted: g(s) == w)
    return predicates
