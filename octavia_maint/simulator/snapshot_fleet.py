"""An explicit fleet: the cloud a fleet snapshot describes, served as it was.

``octavia-maint fleet snapshot`` reads a cloud and writes a fleet file
whose ``snapshot`` key holds what it read; the simulator then serves that
cloud instead of generating one (``octavia-maint-simulator --fleet
fleet.yaml``). Everything keeps its id, name, status and timestamps, so
``fleet report`` reads the same fleet from both, and a procedure plans
the same targets. Timestamps are ISO 8601 (UTC when naive)::

    snapshot:
      taken_at: '2026-12-03T14:00:00'
      service_project_id: <Octavia's service project, owner of amphora VMs>
      projects: [{id, name}]
      images: [{id, name, owner, status, tags, created_at, updated_at,
                checksum, os_hash_value, size}]
      compute_services: [{host, status, disabled_reason, state, zone}]
      load_balancers: [{id, name, project_id, provider, topology,
                        provisioning_status, operating_status, vip_address,
                        flavor_id, availability_zone, created_at,
                        updated_at}]
      amphorae: [{id, loadbalancer_id, compute_id, role, status, image_id,
                  cert_expiration, cert_busy, lb_network_ip,
                  compute_flavor, created_at, updated_at}]
      servers: [{id, name, project_id, status, host, image_id, created_at}]

``compute_services`` are the ``nova-compute`` ones (``state: down`` is
served as forced down). An amphora whose ``compute_id`` no server has is
served so: Octavia lists it, Nova does not know it. With a snapshot, the
generator's counts and ratios (``load_balancers``, ``hosts``, ...) are not
used; the durations and the time scale are.
"""

from octavia_maint.simulator.core import ids as sim_ids
from octavia_maint.simulator.core import wire
from octavia_maint.simulator.octavia import models as octavia_models

SECTIONS = ('taken_at', 'service_project_id', 'projects', 'images',
            'compute_services', 'load_balancers', 'amphorae', 'servers')
# What each listed record must hold.
REQUIRED = {
    'projects': ('id', 'name'),
    'images': ('id', 'created_at'),
    'compute_services': ('host',),
    'load_balancers': ('id', 'project_id', 'created_at'),
    'amphorae': ('id', 'loadbalancer_id', 'created_at'),
    'servers': ('id', 'name', 'project_id', 'host'),
}
TENANT_IMAGE = 'snapshot-tenant-image'


def validate(snapshot):
    """:raises ValueError: the snapshot is not one this module can serve."""
    if not isinstance(snapshot, dict):
        raise ValueError('snapshot must be a mapping')
    unknown = set(snapshot) - set(SECTIONS)
    if unknown:
        raise ValueError('unknown snapshot sections: %s'
                         % ', '.join(sorted(unknown)))
    if not snapshot.get('service_project_id'):
        raise ValueError('snapshot needs service_project_id')
    for section, keys in REQUIRED.items():
        records = snapshot.get(section) or []
        if not isinstance(records, list) or not all(
                isinstance(r, dict) for r in records):
            raise ValueError('snapshot %s must be a list of mappings'
                             % section)
        for record in records:
            missing = [k for k in keys if record.get(k) in (None, '')]
            if missing:
                raise ValueError('a snapshot %s record lacks %s'
                                 % (section, ', '.join(missing)))
    lb_ids = {lb['id'] for lb in snapshot.get('load_balancers') or []}
    orphans = [a['id'] for a in snapshot.get('amphorae') or []
               if a['loadbalancer_id'] not in lb_ids]
    if orphans:
        raise ValueError('snapshot amphorae of no listed load balancer: %s'
                         % ', '.join(orphans[:5]))


def _time(value):
    return None if value in (None, '') else wire.parse_iso(str(value))


def seed(cloud, snapshot, settings, amp_flavor, tenant_flavor):
    """Fill the cloud's backends (made by ``fleet.build``, Nova's services
    included) from a snapshot.

    :param settings: the simulated Octavia's settings (service project and
        user, management network).
    """
    identity, image, compute, octavia = (cloud.identity, cloud.image,
                                         cloud.compute, cloud.octavia)
    for project in snapshot.get('projects') or []:
        identity.add_project(project['name'], project['id'])
    for record in snapshot.get('images') or []:
        image.restore_image(dict(
            record, created_at=_time(record['created_at']),
            updated_at=_time(record.get('updated_at'))))
    amphorae = snapshot.get('amphorae') or []
    roles = {}
    for amphora in amphorae:
        roles.setdefault(amphora['loadbalancer_id'], set()).add(
            amphora.get('role'))
    for lb in snapshot.get('load_balancers') or []:
        _restore_load_balancer(octavia, lb, roles.get(lb['id'], ()))
    images_of = {a.get('compute_id'): a.get('image_id') for a in amphorae}
    tenant_network = sim_ids.AddressPool('192.168.0.0/16')
    for server in snapshot.get('servers') or []:
        amphora_vm = server['project_id'] == settings.service_project_id
        compute.create_server(
            server['name'], server['project_id'],
            settings.service_user_id if amphora_vm else cloud.ids.hex(),
            server.get('image_id') or images_of.get(server['id'])
            or TENANT_IMAGE, amp_flavor if amphora_vm else tenant_flavor,
            server['host'],
            settings.lb_network_name if amphora_vm else 'private',
            tenant_network.allocate(), created=_time(
                server.get('created_at')), server_id=server['id'],
            status=server.get('status') or 'ACTIVE')
    with octavia.amphorae.batch():
        for amphora in amphorae:
            _restore_amphora(octavia, amphora, settings, amp_flavor)


def _restore_load_balancer(octavia, lb, roles):
    topology = lb.get('topology') or (
        octavia_models.TOPOLOGY_ACTIVE_STANDBY
        if {octavia_models.ROLE_MASTER, octavia_models.ROLE_BACKUP} & roles
        else octavia_models.TOPOLOGY_SINGLE)
    created = _time(lb['created_at'])
    fields = dict(
        id=lb['id'], name=lb.get('name') or '', project_id=lb['project_id'],
        topology=topology,
        provider=lb.get('provider') or octavia_models.PROVIDER_AMPHORA,
        provisioning_status=(lb.get('provisioning_status')
                             or octavia_models.ACTIVE),
        operating_status=lb.get('operating_status') or octavia_models.ONLINE,
        flavor_id=lb.get('flavor_id'),
        availability_zone=lb.get('availability_zone'),
        created_at=created, updated_at=_time(lb.get('updated_at')))
    if lb.get('vip_address'):
        fields['vip_address'] = lb['vip_address']
    octavia.restore_load_balancer(**fields)


def _restore_amphora(octavia, amphora, settings, amp_flavor):
    created = _time(amphora['created_at'])
    octavia.restore_amphora(
        id=amphora['id'], loadbalancer_id=amphora['loadbalancer_id'],
        compute_id=amphora.get('compute_id'),
        lb_network_ip=amphora.get('lb_network_ip'),
        cert_expiration=(_time(amphora.get('cert_expiration'))
                         or created + settings.cert_validity_time),
        cert_busy=bool(amphora.get('cert_busy')),
        role=amphora.get('role') or octavia_models.ROLE_STANDALONE,
        status=amphora.get('status') or octavia_models.AMPHORA_ALLOCATED,
        image_id=amphora.get('image_id'),
        compute_flavor=amphora.get('compute_flavor') or amp_flavor.id,
        created_at=created,
        updated_at=_time(amphora.get('updated_at')) or created)
