"""Octavia's API actions on load balancers and amphorae.

One method per API action, raising Octavia's errors; the timed parts live
in ``failover.py`` (create and failover), ``health.py`` (heartbeat keys)
and ``housekeeping.py`` (certificates). Load balancers are created (with a
VIP and optionally one of the two seeded flavors, which set the topology)
and deleted through the API, as tests/contract holds against the real
Octavia. Gaps: no update of LBs, no listeners, pools and members; no
spare-pool (READY) amphorae; no amphora delete or stats.
"""

import types
import uuid

from octavia_maint.simulator.core import ids as sim_ids
from octavia_maint.simulator.octavia import exceptions
from octavia_maint.simulator.octavia import failover
from octavia_maint.simulator.octavia import health
from octavia_maint.simulator.octavia import health_table
from octavia_maint.simulator.octavia import housekeeping
from octavia_maint.simulator.octavia import listeners
from octavia_maint.simulator.octavia import models
from octavia_maint.simulator.octavia import pagination
from octavia_maint.simulator.octavia import repository

LB_GETTERS = {field: (lambda lb, f=field: getattr(lb, f))
              for field in models.LOAD_BALANCER_FIELDS}
FLAVOR_GETTERS = {field: (lambda flavor, f=field: getattr(flavor, f))
                  for field in models.FLAVOR_FIELDS}
VIP_FIELDS = ('vip_port_id', 'vip_network_id', 'vip_subnet_id')


def _tags_of(lb):
    return lb.tags


def _is_uuid(text):
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


class OctaviaBackend:
    """Load balancers, the amphora repository and Octavia's controllers.

    :param cloud: the simulated cloud, for its clock, events, transitions,
        RNG, ids, stats, faults, Octavia database and the compute and image
        backends.
    """

    def __init__(self, cloud, settings, heartbeat_key):
        self.settings = settings
        self._cloud = cloud
        self._lbs = {}
        self._networks = {}
        self.amphorae = repository.AmphoraRepository(cloud.octavia_db)
        self.listeners = listeners.ListenerStore()
        self._addresses = types.SimpleNamespace(
            vip=sim_ids.AddressPool('10.0.0.0/8'),
            management=sim_ids.AddressPool('172.16.0.0/12'))
        self.health_table = health_table.HealthTable(
            cloud.octavia_db.connection)
        self.health = health.HealthManager(
            cloud.clock, cloud.events, self.amphorae, self.health_table,
            key=heartbeat_key, settings=settings,
            on_stale=self._stale_amphora)
        self.housekeeping = housekeeping.CertHousekeeping(
            cloud.clock, cloud.events, cloud.transitions, self.amphorae,
            settings, cloud.stats)
        self.housekeeping.start()
        self._failover = failover.FailoverEngine(
            cloud, settings, self._lbs, self.amphorae, self.health,
            self._addresses)
        self._amphora_getters = {
            field: (lambda a, f=field: getattr(a, f))
            for field in models.AMPHORA_FIELDS}
        self._amphora_getters['project_id'] = (
            lambda a: self._lbs[a.loadbalancer_id].project_id)
        # Ids from the names, so adding flavors shifts no seeded id.
        self._flavors = {flavor.id: flavor for flavor in (
            models.Flavor(
                id=str(uuid.uuid5(uuid.NAMESPACE_URL, 'flavor/' + name)),
                name=name, topology=topology,
                flavor_profile_id=str(uuid.uuid5(
                    uuid.NAMESPACE_URL, 'flavorprofile/' + name)))
            for name, topology in models.FLAVOR_TOPOLOGIES.items())}

    # -- seeding -------------------------------------------------------------

    def create_load_balancer(self, name, project_id, topology, created_at,
                             provider=models.PROVIDER_AMPHORA, image_id=None,
                             hosts=(), provisioning_status=models.ACTIVE,
                             traffic=(0, 0, 0, False)):
        """Add an LB with its amphorae booted on ``hosts`` (fleet seeding).

        :param traffic: ``(listeners, pools per listener, members per
            pool, health monitors)``.
        """
        network_id, subnet_id = self._networks.setdefault(
            project_id, (self._cloud.ids.uuid(), self._cloud.ids.uuid()))
        lb = self._add_load_balancer(
            name=name, project_id=project_id, topology=topology,
            provider=provider, vip_subnet_id=subnet_id,
            vip_network_id=network_id, created_at=created_at,
            updated_at=created_at, provisioning_status=provisioning_status,
            operating_status=(models.ONLINE if provisioning_status
                              == models.ACTIVE else models.ERROR))
        if provider == models.PROVIDER_AMPHORA:
            roles = models.ROLES_BY_TOPOLOGY[topology]
            for role, host in zip(roles, hosts):
                self._failover.boot_amphora(lb, role, image_id, host,
                                            created_at=created_at)
        self.listeners.seed(lb, *traffic)
        return lb

    def _add_load_balancer(self, **fields):
        ids = self._cloud.ids
        lb = models.LoadBalancer(
            id=ids.uuid(), vip_address=self._addresses.vip.allocate(),
            vip_port_id=ids.uuid(), **fields)
        self._lbs[lb.id] = lb
        return lb

    # -- load balancers ------------------------------------------------------

    def post_load_balancer(self, context, spec):
        """``POST .../loadbalancers``: PENDING_CREATE, ACTIVE after
        ``lb_create`` (OFFLINE until then, as before a first heartbeat).

        :param spec: the ``loadbalancer`` object of the request body.
        """
        project_id = spec.get('project_id') or context.project_id
        if not context.is_admin and project_id != context.project_id:
            raise exceptions.PolicyForbidden()
        vip = {k: spec.get(k) for k in VIP_FIELDS if spec.get(k)}
        if not vip:
            raise exceptions.ValidationError(
                reason='VIP must contain one of: %s.' % ', '.join(VIP_FIELDS))
        for name, value in vip.items():
            if not isinstance(value, str) or not _is_uuid(value):
                raise exceptions.InvalidInput(
                    attribute=name, value=value,
                    reason='Value should be UUID format')
        flavor = self._flavor_of(spec.get('flavor_id'))
        now = self._cloud.clock.now()
        lb = self._add_load_balancer(
            name=spec.get('name') or '', project_id=project_id,
            description=spec.get('description') or '',
            admin_state_up=spec.get('admin_state_up', True),
            topology=flavor.topology if flavor else models.TOPOLOGY_SINGLE,
            flavor_id=flavor.id if flavor else None,
            vip_subnet_id=vip.get('vip_subnet_id') or self._cloud.ids.uuid(),
            vip_network_id=(vip.get('vip_network_id')
                            or self._cloud.ids.uuid()),
            created_at=now, updated_at=None,
            provisioning_status=models.PENDING_CREATE,
            operating_status=models.OFFLINE,
            tags=list(spec.get('tags') or []))
        self._failover.start_create(lb)
        return lb

    def _flavor_of(self, flavor_id):
        if not flavor_id:
            return None
        flavor = self._flavors.get(flavor_id)
        if flavor is None or not flavor.enabled:
            raise exceptions.ValidationError(reason='Invalid flavor_id.')
        return flavor

    def delete_load_balancer(self, context, lb_id):
        """``DELETE .../loadbalancers/{id}``: PENDING_DELETE, then gone
        (404) after ``lb_delete``, its amphorae and servers with it."""
        lb = self.get_load_balancer(context, lb_id)
        if lb.provisioning_status not in models.MUTABLE_STATUSES:
            raise exceptions.LBPendingStateError(
                state=lb.provisioning_status, id=lb_id)
        lb.provisioning_status = models.PENDING_DELETE
        lb.updated_at = self._cloud.clock.now()
        self._cloud.transitions.schedule('lb_delete', self._deleted, lb_id)

    def _deleted(self, lb_id):
        for amphora in self.amphorae.by_load_balancer(lb_id):
            self._failover.retire_amphora(amphora)
        self._lbs.pop(lb_id, None)
        self.listeners.forget(lb_id)

    def list_flavors(self, filters, page):
        """One page of the seeded flavors.

        :param filters: ``{field: [values]}``.
        :param page: a :class:`listing.PageRequest`.
        """
        return page.page(
            [flavor for flavor in self._flavors.values()
             if pagination.matches(flavor, filters, FLAVOR_GETTERS)],
            FLAVOR_GETTERS)

    def get_flavor(self, flavor_id):
        flavor = self._flavors.get(flavor_id)
        if flavor is None:
            raise exceptions.NotFound(resource='Flavor', id=flavor_id)
        return flavor

    def list_load_balancers(self, context, filters, page):
        """One page of the load balancers the caller may see.

        :param filters: ``{field or tag filter: [values]}``.
        :param page: a :class:`listing.PageRequest`.
        """
        return page.page(
            [lb for lb in self._lbs.values()
             if (context.is_admin or lb.project_id == context.project_id)
             and pagination.matches(lb, filters, LB_GETTERS, _tags_of)],
            LB_GETTERS)

    def get_load_balancer(self, context, lb_id):
        lb = self._lbs.get(lb_id)
        if lb is None:
            raise exceptions.NotFound(resource='Load Balancer', id=lb_id)
        if not context.is_admin and lb.project_id != context.project_id:
            raise exceptions.PolicyForbidden()
        return lb

    def get_status_tree(self, context, lb_id):
        """``GET .../loadbalancers/{id}/status``'s ``loadbalancer``."""
        return self.listeners.status_tree(
            self.get_load_balancer(context, lb_id))

    def failover_load_balancer(self, context, lb_id):
        """``PUT .../loadbalancers/{id}/failover``: ACTIVE or ERROR only."""
        lb = self.get_load_balancer(context, lb_id)
        if lb.provisioning_status not in models.FAILOVERABLE_STATUSES:
            raise exceptions.LBPendingStateError(
                state=lb.provisioning_status, id=lb_id)
        if self._cloud.faults.failover_conflicts(lb_id):
            raise exceptions.ImmutableObject(resource='Load Balancer',
                                             id=lb_id)
        if lb.provider != models.PROVIDER_AMPHORA:
            raise exceptions.ProviderUnsupportedOptionError(
                prov=lb.provider,
                user_msg='OVN provider does not support loadbalancer '
                         'failover')
        self._failover.start(lb)
        return lb

    # -- amphorae ------------------------------------------------------------

    def list_amphorae(self, filters, page):
        """One page of the amphorae.

        :param filters: ``{field: [values]}``; a ``loadbalancer_id``
            filter reads only those load balancers' amphorae.
        :param page: a :class:`listing.PageRequest`.
        """
        lb_ids = filters.get('loadbalancer_id')
        if lb_ids:
            candidates = [a for lb_id in lb_ids
                          for a in self.amphorae.by_load_balancer(lb_id)]
        else:
            candidates = self.amphorae.all()
        getters = self._amphora_getters
        return page.page(
            [a for a in candidates
             if pagination.matches(a, filters, getters)], getters)

    def get_amphora(self, amphora_id):
        amphora = self.amphorae.get(amphora_id)
        if amphora is None:
            raise exceptions.NotFound(resource='Amphora', id=amphora_id)
        return amphora

    def failover_amphora(self, amphora_id):
        """``PUT .../amphorae/{id}/failover``: only when its LB is ACTIVE."""
        amphora = self.get_amphora(amphora_id)
        lb = self._lbs[amphora.loadbalancer_id]
        if lb.provisioning_status != models.ACTIVE:
            raise exceptions.ImmutableObject(resource='Load Balancer',
                                             id=lb.id)
        self._failover.start(lb, amphora_id=amphora.id)

    def configure_amphora(self, amphora_id):
        """``PUT .../amphorae/{id}/config``: re-render the agent config.

        Accepted (202) whatever the amphora's state, as Octavia casts it to
        a worker; the agent reloads it after the ``amphora_config``
        transition and from then on signs heartbeats with the workers' key,
        unless fault injection says its agent refuses the update (Octavia
        logs the error and nothing on the API shows it).
        """
        self.get_amphora(amphora_id)
        self._cloud.stats.amphora_configured(amphora_id)
        self._cloud.transitions.schedule('amphora_config',
                                         self._configured, amphora_id)

    def _configured(self, amphora_id):
        if self.amphorae.get(amphora_id) is None:
            return
        if self._cloud.faults.config_refused(amphora_id):
            return
        self.health.amphora_configured(amphora_id)
        amphora = self.amphorae.get(amphora_id)
        self._failover.judge_traffic(self._lbs[amphora.loadbalancer_id],
                                     [amphora], configured=True)

    def _stale_amphora(self, amphora):
        """The health manager's failover of an amphora it no longer hears."""
        lb = self._lbs[amphora.loadbalancer_id]
        if lb.provisioning_status not in models.FAILOVERABLE_STATUSES:
            return False
        self._failover.start(lb, amphora_id=amphora.id, automatic=True)
        return True

    # -- control plane -------------------------------------------------------

    def set_cert_expiration(self, amphora_id, expiration):
        """What an operator's UPDATE of the amphora table does."""
        self.get_amphora(amphora_id)
        self.amphorae.update(amphora_id, cert_expiration=expiration)

    def set_amphora_status(self, amphora_id, status):
        """What an outage (or an operator's UPDATE) does to an amphora."""
        self.get_amphora(amphora_id)
        self.amphorae.update(amphora_id, status=status,
                             updated_at=self._cloud.clock.now())

    def register_amphora_servers(self, servers):
        """Give amphorae that another Octavia booted their Nova servers.

        The real Octavia with its noop compute driver (tests/contract)
        reports ``compute_id``s that no Nova knows; registering them here,
        on hosts the test chooses, lets this Nova stand beside it, so host
        procedures find amphorae on a host. Each server looks as one this
        simulator's Octavia boots (service project, amphora flavor and
        network, the newest tagged image).

        :param servers: ``[{'id', 'host', 'name' (optional:
            ``amphora-<id>``, Octavia names them after the amphora)}]``.
        :returns: the new servers; none is made unless all can be.
        :raises ValueError: an unknown host, or a server id used already.
        """
        compute = self._cloud.compute
        hosts = {s.host for s in compute.list_services(binary='nova-compute')}
        ids = [server['id'] for server in servers]
        for server in servers:
            if server['host'] not in hosts:
                raise ValueError('unknown compute host %s' % server['host'])
            if (compute.find_server(server['id']) is not None
                    or ids.count(server['id']) > 1):
                raise ValueError('server %s exists already' % server['id'])
        settings = self.settings
        image = self._cloud.image.newest_active(settings.amp_image_tag,
                                                settings.amp_image_owner_id)
        return [compute.create_server(
            name=server.get('name') or 'amphora-%s' % server['id'],
            project_id=settings.service_project_id,
            user_id=settings.service_user_id,
            image_id=image.id if image else None, flavor=settings.amp_flavor,
            host=server['host'], network=settings.lb_network_name,
            ip_address=self._addresses.management.allocate(),
            server_id=server['id']) for server in servers]

    def summary(self):
        lbs_by_status, amps_by_status, amps_by_image = {}, {}, {}
        for lb in self._lbs.values():
            lbs_by_status[lb.provisioning_status] = lbs_by_status.get(
                lb.provisioning_status, 0) + 1
        for amphora in self.amphorae.all():
            amps_by_status[amphora.status] = amps_by_status.get(
                amphora.status, 0) + 1
            amps_by_image[amphora.image_id] = amps_by_image.get(
                amphora.image_id, 0) + 1
        return {'service_project_id': self.settings.service_project_id,
                'load_balancers': len(self._lbs),
                'load_balancers_by_status': lbs_by_status,
                'amphorae': len(self.amphorae),
                'amphorae_by_status': amps_by_status,
                'amphorae_by_image': amps_by_image,
                'heartbeat': self.health.summary()}
