"""Octavia's API actions on load balancers and amphorae.

One method per API action, raising Octavia's errors; the timed parts live
in ``failover.py`` (failover), ``health.py`` (heartbeat keys) and
``housekeeping.py`` (certificates). Gaps: no create/update/delete of LBs or
of listeners, pools and members through the API (the fleet is seeded); no
spare-pool (READY) amphorae; no amphora delete or stats.
"""

import types

from octavia_maint.simulator.core import ids as sim_ids
from octavia_maint.simulator.octavia import exceptions
from octavia_maint.simulator.octavia import failover
from octavia_maint.simulator.octavia import health
from octavia_maint.simulator.octavia import housekeeping
from octavia_maint.simulator.octavia import models
from octavia_maint.simulator.octavia import pagination
from octavia_maint.simulator.octavia import repository

LB_GETTERS = {field: (lambda lb, f=field: getattr(lb, f))
              for field in models.LOAD_BALANCER_FIELDS}


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
        self._addresses = types.SimpleNamespace(
            vip=sim_ids.AddressPool('10.0.0.0/8'),
            management=sim_ids.AddressPool('172.16.0.0/12'))
        self.health = health.HealthManager(
            cloud.clock, cloud.events, self.amphorae, key=heartbeat_key,
            timeout=settings.heartbeat_timeout,
            recheck_interval=settings.health_check_interval,
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

    # -- seeding -------------------------------------------------------------

    def create_load_balancer(self, name, project_id, topology, created_at,
                             provider=models.PROVIDER_AMPHORA, image_id=None,
                             hosts=(), provisioning_status=models.ACTIVE):
        """Add an LB with its amphorae booted on ``hosts`` (fleet seeding)."""
        ids = self._cloud.ids
        network_id, subnet_id = self._networks.setdefault(
            project_id, (ids.uuid(), ids.uuid()))
        lb = models.LoadBalancer(
            id=ids.uuid(), name=name, project_id=project_id,
            topology=topology, provider=provider,
            vip_address=self._addresses.vip.allocate(),
            vip_port_id=ids.uuid(), vip_subnet_id=subnet_id,
            vip_network_id=network_id, created_at=created_at,
            updated_at=created_at, provisioning_status=provisioning_status,
            operating_status=(models.ONLINE if provisioning_status
                              == models.ACTIVE else models.ERROR))
        self._lbs[lb.id] = lb
        if provider == models.PROVIDER_AMPHORA:
            roles = models.ROLES_BY_TOPOLOGY[topology]
            for role, host in zip(roles, hosts):
                self._failover.boot_amphora(lb, role, image_id, host,
                                            created_at=created_at)
        return lb

    # -- load balancers ------------------------------------------------------

    def list_load_balancers(self, context, query):
        """:returns: ``(page, helper)``; the helper makes the links."""
        helper = pagination.PaginationHelper(
            query, self.settings.pagination_max_limit, LB_GETTERS,
            tags_of=lambda lb: lb.tags)
        lbs = self._lbs.values()
        if not context.is_admin:
            lbs = [lb for lb in lbs if lb.project_id == context.project_id]
        return helper.apply(lbs), helper

    def get_load_balancer(self, context, lb_id):
        lb = self._lbs.get(lb_id)
        if lb is None:
            raise exceptions.NotFound(resource='Load Balancer', id=lb_id)
        if not context.is_admin and lb.project_id != context.project_id:
            raise exceptions.PolicyForbidden()
        return lb

    def failover_load_balancer(self, context, lb_id):
        """``PUT .../loadbalancers/{id}/failover``: ACTIVE or ERROR only."""
        lb = self.get_load_balancer(context, lb_id)
        if lb.provisioning_status not in models.FAILOVERABLE_STATUSES:
            raise exceptions.LBPendingStateError(
                state=lb.provisioning_status, id=lb_id)
        if lb.provider != models.PROVIDER_AMPHORA:
            raise exceptions.ProviderUnsupportedOptionError(
                prov=lb.provider,
                user_msg='OVN provider does not support loadbalancer '
                         'failover')
        self._failover.start(lb)
        return lb

    # -- amphorae ------------------------------------------------------------

    def list_amphorae(self, query):
        """:returns: ``(page, helper)``; the helper makes the links."""
        helper = pagination.PaginationHelper(
            query, self.settings.pagination_max_limit,
            self._amphora_getters)
        lb_ids = helper.filters.get('loadbalancer_id')
        if lb_ids:
            candidates = [a for lb_id in lb_ids
                          for a in self.amphorae.by_load_balancer(lb_id)]
        else:
            candidates = self.amphorae.all()
        return helper.apply(candidates), helper

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

        The agent reloads it after the ``amphora_config`` transition and
        from then on signs heartbeats with the workers' key.
        """
        self.get_amphora(amphora_id)
        self._cloud.transitions.schedule('amphora_config',
                                         self._configured, amphora_id)

    def _configured(self, amphora_id):
        if self.amphorae.get(amphora_id) is not None:
            self.health.amphora_configured(amphora_id)

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
        return {'load_balancers': len(self._lbs),
                'load_balancers_by_status': lbs_by_status,
                'amphorae': len(self.amphorae),
                'amphorae_by_status': amps_by_status,
                'amphorae_by_image': amps_by_image,
                'heartbeat': self.health.summary()}
