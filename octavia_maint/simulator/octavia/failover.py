"""How the simulated Octavia carries out a failover.

``start`` puts the LB in PENDING_UPDATE at once (the API answers 202 with
it so); after the ``failover`` transition the amphorae being failed over
are replaced by new ones with new ids and new Nova servers, booted from the
newest active image with the amphora tag, on enabled compute hosts, the two
amphorae of an ACTIVE_STANDBY LB on different hosts; the old servers are
deleted and the LB is ACTIVE again. The failover ends in ERROR instead
when fault injection says so, when no image has the tag, or when no
enabled host is left (Nova's NoValidHost). Creating a load balancer boots
its amphorae the same way after the ``lb_create`` transition.

Amphorae booted by one failover or create pass traffic or not together, as
fault injection judges their image, heartbeat key and CA
(:meth:`Faults.breaks_traffic`); the load balancer's operating status (and
so its listeners', pools' and members') is ONLINE while all of its
amphorae pass traffic and ERROR otherwise, so a failover onto a good image
puts it right again.
"""

import logging

from octavia_maint.simulator.octavia import models

LOG = logging.getLogger(__name__)


class FailoverEngine:
    """Boots amphorae and replaces them on failover.

    :param cloud: the simulated cloud, for its clock, ids, RNG, stats,
        faults, transitions and the compute and image backends.
    :param addresses: ``vip`` and ``management`` address pools.
    """

    def __init__(self, cloud, settings, load_balancers, amphorae,
                 health, addresses):
        self._cloud = cloud
        self._settings = settings
        self._lbs = load_balancers
        self._amphorae = amphorae
        self._health = health
        self._addresses = addresses

    def boot_amphora(self, lb, role, image_id, host, created_at=None):
        """Create an amphora and its server (fleet seeding and failovers)."""
        cloud, settings = self._cloud, self._settings
        now = cloud.clock.now() if created_at is None else created_at
        amphora_id = cloud.ids.uuid()
        server = cloud.compute.create_server(
            name='amphora-%s' % amphora_id,
            project_id=settings.service_project_id,
            user_id=settings.service_user_id, image_id=image_id,
            flavor=settings.amp_flavor, host=host,
            network=settings.lb_network_name,
            ip_address=self._addresses.management.allocate(), created=now)
        active_standby = lb.topology == models.TOPOLOGY_ACTIVE_STANDBY
        amphora = models.Amphora(
            id=amphora_id, loadbalancer_id=lb.id, compute_id=server.id,
            lb_network_ip=server.ip_address,
            vrrp_ip=self._addresses.vip.allocate(), ha_ip=lb.vip_address,
            vrrp_port_id=cloud.ids.uuid(), ha_port_id=lb.vip_port_id,
            cert_expiration=now + settings.cert_validity_time, role=role,
            image_id=image_id, compute_flavor=settings.amp_flavor.id,
            created_at=now, updated_at=now, vrrp_id=1,
            vrrp_interface='eth1' if active_standby else None,
            vrrp_priority=models.VRRP_PRIORITIES.get(role),
            ca_id=settings.ca_id)
        self._amphorae.add(amphora)
        self._health.amphora_booted(amphora.id)
        return amphora

    def start(self, lb, amphora_id=None, automatic=False):
        """Begin failing over ``lb`` (all its amphorae) or one amphora."""
        cloud = self._cloud
        lb.provisioning_status = models.PENDING_UPDATE
        lb.updated_at = cloud.clock.now()
        cloud.stats.failover_started(lb.id, amphora_id, automatic)
        targets = ((amphora_id,) if amphora_id else tuple(
            a.id for a in self._amphorae.by_load_balancer(lb.id)))
        cloud.transitions.schedule('failover', self._finish, lb.id, targets)
        LOG.debug("Failover of LB %s started (amphorae %s, automatic %s)",
                  lb.id, targets, automatic)

    def _finish(self, lb_id, amphora_ids):
        cloud = self._cloud
        lb = self._lbs.get(lb_id)
        if lb is None:
            cloud.stats.failover_finished(succeeded=False)
            return
        old = [a for a in map(self._amphorae.get, amphora_ids) if a]
        if cloud.faults.failover_fails(lb.id, cloud.rng):
            reason, plan = 'injected failover fault', None
        else:
            reason, plan = self._plan(lb, {a.id for a in old}, len(old))
        now = cloud.clock.now()
        lb.updated_at = now
        if reason:
            LOG.info("Simulated failover of LB %s ends in ERROR: %s",
                     lb_id, reason)
            for amphora in old:
                self._amphorae.update(amphora.id, status=models.ERROR,
                                      updated_at=now)
            lb.provisioning_status = models.ERROR
            cloud.stats.failover_finished(succeeded=False)
            return
        image_id, hosts = plan
        booted = []
        for amphora, host in zip(old, hosts):
            booted.append(self.boot_amphora(lb, amphora.role, image_id, host))
            self.retire_amphora(amphora)
        lb.provisioning_status = models.ACTIVE
        self.judge_traffic(lb, booted)
        cloud.stats.failover_finished(succeeded=True)

    def start_create(self, lb):
        """Boot a new (PENDING_CREATE) LB's amphorae after ``lb_create``."""
        self._cloud.transitions.schedule('lb_create', self._created, lb.id)

    def _created(self, lb_id):
        lb = self._lbs.get(lb_id)
        if lb is None or lb.provisioning_status != models.PENDING_CREATE:
            return
        roles = models.ROLES_BY_TOPOLOGY[lb.topology]
        reason, plan = self._plan(lb, set(), len(roles))
        lb.updated_at = self._cloud.clock.now()
        if reason:
            LOG.info("Simulated create of LB %s ends in ERROR: %s",
                     lb_id, reason)
            lb.provisioning_status = models.ERROR
            return
        image_id, hosts = plan
        booted = [self.boot_amphora(lb, role, image_id, host)
                  for role, host in zip(roles, hosts)]
        lb.provisioning_status = models.ACTIVE
        self.judge_traffic(lb, booted)

    def judge_traffic(self, lb, changed, configured=False):
        """Whether the amphorae just booted (or configured) pass traffic,
        and the operating status that leaves ``lb`` with.

        :param changed: amphorae of ``lb`` booted by one failover or
            create, or one just given a new agent configuration.
        :param configured: only their heartbeat key changed (their image
            and CA were judged when they booted).
        """
        if changed:
            first = changed[0]
            if self._cloud.faults.breaks_traffic(
                    None if configured else first.image_id,
                    first.heartbeat_key,
                    None if configured else first.ca_id):
                for amphora in changed:
                    self._amphorae.update(amphora.id, passes_traffic=False)
                LOG.info("Simulated amphorae %s of LB %s pass no traffic",
                         [a.id for a in changed], lb.id)
        serving = all(a.passes_traffic
                      for a in self._amphorae.by_load_balancer(lb.id))
        lb.operating_status = models.ONLINE if serving else models.ERROR

    def retire_amphora(self, amphora):
        """Delete an amphora's server, its row (the API hides it) and its
        health record."""
        if self._cloud.compute.find_server(amphora.compute_id):
            self._cloud.compute.delete_server(amphora.compute_id)
        self._amphorae.delete(amphora.id)
        self._health.amphora_deleted(amphora.id)

    def _plan(self, lb, replaced, count):
        """Image and hosts for ``count`` amphorae replacing ``replaced``.

        :returns: ``(reason, None)`` or ``(None, (image_id, hosts))``.
        """
        cloud, settings = self._cloud, self._settings
        image = cloud.image.newest_active(settings.amp_image_tag,
                                          settings.amp_image_owner_id)
        if image is None:
            return ('no active Glance image is tagged %r'
                    % settings.amp_image_tag), None
        taken = {self._host_of(a) for a in self._amphorae.by_load_balancer(
            lb.id) if a.id not in replaced}
        enabled = cloud.compute.enabled_compute_hosts()
        hosts = []
        for _ in range(count):
            candidates = [h for h in enabled if h not in taken]
            if not candidates:
                return 'no valid host was found (NoValidHost)', None
            host = cloud.rng.choice(candidates)
            hosts.append(host)
            if lb.topology == models.TOPOLOGY_ACTIVE_STANDBY:
                taken.add(host)  # anti-affinity between the pair
        return None, (image.id, hosts)

    def _host_of(self, amphora):
        server = self._cloud.compute.find_server(amphora.compute_id)
        return server.host if server else None
