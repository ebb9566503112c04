"""``octavia-maint fleet snapshot``: the fleet as the simulator's fleet file.

Why: an operator who wants to know what a campaign would do to *their*
fleet can only try it on a cloud that looks like theirs. A snapshot reads
the cloud once, read-only, through the facade (load balancers with their
topology, provider and statuses; amphorae with roles, images and
certificate dates; the amphora VMs and the host each runs on; the
``nova-compute`` services and their state; the images with the amphora
tag; the projects owning load balancers) and writes it in the fleet file
format of the simulator (``simulator/snapshot_fleet.py``), which serves
it again: ``octavia-maint-simulator --fleet fleet.yaml``, or privately
for ``job post --rehearse``.

Only amphora VMs are read from Nova (Octavia's service project, or
servers named ``[octavia] amp_server_name_prefix`` or used by an amphora
when that project is not configured): no procedure looks at tenants'
servers, so their names never enter a snapshot.

``anonymize`` makes a snapshot fit to share (a bug report, a benchmark):
every project id and name, load balancer id and name, VIP address,
amphora id, management address and server id and name is replaced by a
pseudonym, consistently (the same project is the same pseudonym
everywhere, an amphora VM stays ``amphora-<its amphora's new id>``), with
random ids drawn afresh for each snapshot, so two snapshots cannot be
linked and nothing leads back to a tenant. What describes the operator's
own infrastructure stays: host names and their services' state, images
(but their owner, a project), flavors, availability zones, statuses and
timestamps.
"""

import collections
import uuid

from oslo_utils import timeutils
from oslo_utils import uuidutils

from octavia_maint.cloud import facade
from octavia_maint.common import image_drift

LB_FIELDS = ('id', 'name', 'project_id', 'provider', 'provisioning_status',
             'operating_status', 'vip_address', 'flavor_id',
             'availability_zone', 'created_at', 'updated_at')
AMPHORA_FIELDS = ('id', 'loadbalancer_id', 'compute_id', 'role', 'status',
                  'image_id', 'cert_expiration', 'cert_busy',
                  'lb_network_ip', 'compute_flavor', 'created_at',
                  'updated_at')
IMAGE_FIELDS = ('id', 'name', 'owner', 'status', 'tags', 'created_at',
                'updated_at', 'checksum', 'os_hash_value', 'size')
SERVICE_FIELDS = ('host', 'status', 'disabled_reason', 'state', 'zone')
ACTIVE_STANDBY_ROLES = ('MASTER', 'BACKUP')


def build_from_conf(conf, connection=None, **options):
    """The snapshot of the cloud ``[cloud]`` names (or of ``connection``);
    see :func:`build`."""
    cloud = facade.Cloud.from_conf(conf, connection)
    try:
        return build(cloud, image_tag=conf.octavia.amp_image_tag,
                     service_project_id=conf.octavia.service_project_id,
                     server_prefix=conf.octavia.amp_server_name_prefix,
                     **options)
    finally:
        cloud.close()


def build(cloud, image_tag, service_project_id=None,
          server_prefix='amphora-', failover_seconds=None,
          anonymize=False):
    """Read the cloud (only reads) and return the fleet file as a dict.

    :param failover_seconds: how long a failover of the served snapshot
        takes, in the simulator's fleet option; its default when None.
    :param anonymize: replace what identifies tenants (module docstring).
    """
    lbs = [_pick(lb, LB_FIELDS) for lb in cloud.list_load_balancers()]
    amphorae = [_pick(a, AMPHORA_FIELDS) for a in
                image_drift.live_amphorae(cloud.list_amphorae())]
    _add_topologies(lbs, amphorae)
    servers = _amphora_servers(cloud, amphorae, service_project_id,
                               server_prefix)
    owners = {s['project_id'] for s in servers
              if s['id'] in {a['compute_id'] for a in amphorae}}
    service_project_id = (service_project_id or min(owners, default=None)
                          or uuid.uuid4().hex)
    names = {p['id']: p['name'] for p in cloud.list_projects()}
    snapshot = {
        'taken_at': timeutils.utcnow().isoformat(),
        'service_project_id': service_project_id,
        'projects': [{'id': p, 'name': names.get(p) or p}
                     for p in sorted({lb['project_id'] for lb in lbs})],
        'images': [_pick(i, IMAGE_FIELDS)
                   for i in cloud.list_images(image_tag)],
        'compute_services': [_pick(s, SERVICE_FIELDS)
                             for s in cloud.list_compute_services()],
        'load_balancers': lbs,
        'amphorae': amphorae,
        'servers': servers,
    }
    if anonymize:
        snapshot = Pseudonyms().apply(snapshot)
    fleet = {'image_tag': image_tag, 'snapshot': snapshot}
    if failover_seconds is not None:
        fleet['failover_seconds'] = float(failover_seconds)
    return fleet


def _pick(record, fields):
    return {f: record.get(f) for f in fields}


def _add_topologies(lbs, amphorae):
    """Octavia's API shows no topology: a load balancer with a MASTER or
    BACKUP amphora is ACTIVE_STANDBY, any other SINGLE."""
    roles = collections.defaultdict(set)
    for amphora in amphorae:
        roles[amphora['loadbalancer_id']].add(amphora['role'])
    for lb in lbs:
        lb['topology'] = ('ACTIVE_STANDBY'
                          if roles[lb['id']] & set(ACTIVE_STANDBY_ROLES)
                          else 'SINGLE')
    known = {lb['id'] for lb in lbs}
    # A spare-pool amphora (no load balancer, Octavia before Xena) is not
    # served: the simulator models no spare pool.
    amphorae[:] = [a for a in amphorae if a['loadbalancer_id'] in known]


def _amphora_servers(cloud, amphorae, service_project_id, prefix):
    """The amphora VMs, live and orphaned, with the host each runs on."""
    used = {a['compute_id'] for a in amphorae}
    servers = cloud.list_servers(project_id=service_project_id or None)
    return [{'id': s['id'], 'name': s['name'], 'project_id': s['project_id'],
             'status': s['status'], 'host': s['compute_host'],
             'created_at': s['created_at']}
            for s in servers
            if s.get('compute_host') and s.get('task_state') != 'deleting'
            and (s['id'] in used or (s['name'] or '').startswith(prefix))]


class Pseudonyms:
    """Consistent stand-ins for what identifies a tenant in a snapshot."""

    def __init__(self):
        self._ids = {}
        self._names = collections.defaultdict(dict)

    def uuid(self, value):
        """A random UUID standing for ``value`` (the same each time)."""
        if value is None:
            return None
        return self._ids.setdefault(value, str(uuid.uuid4()))

    def project(self, value):
        """A Keystone-style id (32 hex digits) standing for ``value``."""
        if value is None:
            return None
        return self._ids.setdefault(value, uuid.uuid4().hex)

    def name(self, kind, value):
        """``<kind>-00001``, numbered in order of first appearance."""
        names = self._names[kind]
        return names.setdefault(value, '%s-%05d' % (kind, len(names) + 1))

    def apply(self, snapshot):
        """The snapshot with every tenant-identifying value replaced."""
        projects = {p['id']: p['name'] for p in snapshot['projects']}
        result = dict(snapshot)
        result['service_project_id'] = self.project(
            snapshot['service_project_id'])
        result['projects'] = [
            {'id': self.project(p), 'name': self.name('tenant', name)}
            for p, name in projects.items()]
        result['images'] = [dict(i, owner=self.project(i['owner']))
                            for i in snapshot['images']]
        result['load_balancers'] = [
            dict(lb, id=self.uuid(lb['id']),
                 name=self.name('loadbalancer', lb['id']),
                 project_id=self.project(lb['project_id']), vip_address=None)
            for lb in snapshot['load_balancers']]
        result['amphorae'] = [
            dict(a, id=self.uuid(a['id']),
                 loadbalancer_id=self.uuid(a['loadbalancer_id']),
                 compute_id=self.uuid(a['compute_id']), lb_network_ip=None)
            for a in snapshot['amphorae']]
        result['servers'] = [
            dict(s, id=self.uuid(s['id']), name=self._server_name(s['name']),
                 project_id=self.project(s['project_id']))
            for s in snapshot['servers']]
        return result

    def _server_name(self, name):
        """An amphora VM's name holds its amphora's id: the same new id."""
        prefix, _sep, amphora_id = (name or '').partition('-')
        if _sep and uuidutils.is_uuid_like(amphora_id):
            return '%s-%s' % (prefix, self.uuid(amphora_id))
        return self.name('server', name)
