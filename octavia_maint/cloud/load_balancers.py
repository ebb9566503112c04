"""Load balancers through Octavia's v2 API.

A failover is accepted by Octavia only for an ACTIVE or ERROR load balancer
(409 otherwise, as it is immutable while PENDING_*); the caller waits for
ACTIVE again with :meth:`LoadBalancerMixin.wait_for_load_balancer`.

Whether a load balancer still serves is read from its status tree (``GET
/v2/lbaas/loadbalancers/{id}/status``), for which openstacksdk has no call
(checked against 4.22.0): the facade requests it through the SDK's
load-balancer proxy, so endpoint, session and errors are the SDK's, with
no private name of it.
"""

from openstack.load_balancer.v2 import load_balancer as sdk_load_balancer

from octavia_maint.cloud import filters as cloud_filters
from octavia_maint.cloud import records
from octavia_maint.cloud import retry
from octavia_maint.cloud import waiters

RESOURCE = 'Load balancer'
# The API serving it, for error messages.
API = 'load-balancer (Octavia)'

FIELDS = ('id', 'name', 'project_id', 'provisioning_status',
          'operating_status', 'provider', 'vip_address', 'flavor_id',
          'availability_zone', 'created_at', 'updated_at')

# Statuses that end a wait for ACTIVE: Octavia parks a load balancer in
# ERROR when a change or failover failed.
FAILURE_STATUSES = ('ERROR',)


class LoadBalancerMixin:
    """Load balancer calls of :class:`octavia_maint.cloud.facade.Cloud`."""

    @retry.api_call(RESOURCE, api=API)
    def list_load_balancers(self, **filters):
        """All load balancers matching Octavia's filters, every page.

        :param filters: e.g. ``project_id=...``, ``provisioning_status=...``.
        :returns: list of load balancer records.
        :raises: BadRequest on an unknown filter.
        """
        cloud_filters.require_known(sdk_load_balancer.LoadBalancer, filters)
        return records.octavia_listing(
            self._conn.load_balancer, sdk_load_balancer.LoadBalancer,
            'loadbalancers', filters, FIELDS)

    @retry.api_call(RESOURCE, id_arg='lb_id', api=API)
    def get_load_balancer(self, lb_id):
        """:raises: NotFound."""
        return records.octavia_item(
            self._conn.load_balancer, sdk_load_balancer.LoadBalancer,
            'loadbalancer', lb_id, FIELDS)

    @retry.api_call(RESOURCE, id_arg='lb_id', api=API)
    def get_load_balancer_status_tree(self, lb_id):
        """The load balancer's status tree, as Octavia shapes it.

        Operating statuses of every listener, pool, health monitor and
        member come only from here in one call (a listener listing has no
        members), which is what a data-plane check compares before and
        after a failover.

        :returns: ``{id, name, operating_status, provisioning_status,
            listeners: [{id, name, operating_status, provisioning_status,
            pools: [{id, name, operating_status, provisioning_status,
            health_monitor: {id, name, type, operating_status,
            provisioning_status} or None, members: [{id, name, address,
            protocol_port, operating_status, provisioning_status}]}]}]}``
            (the answer's ``statuses.loadbalancer``, JSON as it came). A
            member no monitor checks says ``NO_MONITOR`` while it serves.
        :raises: NotFound.
        """
        return records.octavia_json(
            self._conn.load_balancer,
            '%s/%s/status' % (sdk_load_balancer.LoadBalancer.base_path,
                              lb_id))['statuses']['loadbalancer']

    @retry.api_call(RESOURCE, id_arg='lb_id', idempotent=False,
                    api=API)
    def failover_load_balancer(self, lb_id):
        """Ask Octavia to fail the load balancer over (cannot be undone).

        :raises: Conflict when it is not ACTIVE or ERROR, NotFound.
        """
        self._conn.load_balancer.failover_load_balancer(lb_id)

    def wait_for_load_balancer(self, lb_id, status='ACTIVE', timeout=None,
                               interval=None, delay=0.0):
        """Poll until ``provisioning_status`` is ``status``.

        :param timeout: seconds; ``[cloud] wait_timeout`` when None.
        :param interval: seconds; ``[cloud] status_poll_interval`` when None.
        :param delay: seconds before the first poll (a failover that surely
            is not done yet is not polled); the timeout counts from it.
        :returns: the load balancer record.
        :raises: ResourceInError when it goes ERROR while waiting for
            another status, CloudTimeout, NotFound.
        """
        return waiters.wait_for_status(
            lambda: self.get_load_balancer(lb_id), RESOURCE, lb_id, status,
            FAILURE_STATUSES, **self._wait_args(timeout, interval),
            attribute='provisioning_status', delay=delay)
