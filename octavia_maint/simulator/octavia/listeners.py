"""Listeners, pools, health monitors and members: seeded with the fleet,
read through the API.

They are what a data-plane check reads (the status tree, listener show):
each load balancer of the fleet gets ``listeners_per_lb`` HTTP listeners,
each with ``pools_per_listener`` pools of ``members_per_pool`` members and
(``health_monitors``) an HTTP health monitor. Ids come from the load
balancer's id (uuid5), not from the fleet's RNG, so adding them shifts no
other seeded id or placement. Gaps: no create, update or delete through
the API (a load balancer created through it has none), no L7 policies.
"""

import uuid

from octavia_maint.simulator.core import ids as sim_ids
from octavia_maint.simulator.octavia import exceptions
from octavia_maint.simulator.octavia import models
from octavia_maint.simulator.octavia import pagination

# Octavia filters listeners and pools by their load balancer under either
# spelling (openstacksdk sends ``load_balancer_id`` for listeners and
# ``loadbalancer_id`` for pools); health monitors and members by pool.
LB_FILTERS = ('loadbalancer_id', 'load_balancer_id')
LISTENER_FILTER_FIELDS = models.LISTENER_FIELDS + LB_FILTERS
POOL_FILTER_FIELDS = models.POOL_FIELDS + LB_FILTERS
HEALTH_MONITOR_FILTER_FIELDS = models.HEALTH_MONITOR_FIELDS + ('pool_id',)
MEMBER_FILTER_FIELDS = models.MEMBER_FIELDS + ('pool_id',)
LISTENER_PORT = 80
MEMBER_PORT = 8080
# Tenant back ends, far from the VIPs (10.0.0.0/8) and lb-mgmt-net.
MEMBER_NETWORK = '100.64.0.0/10'


def _getters(fields):
    return {f: (lambda item, f=f: item.field(f)) for f in fields}


LISTENER_GETTERS = _getters(LISTENER_FILTER_FIELDS)
POOL_GETTERS = _getters(POOL_FILTER_FIELDS)
HEALTH_MONITOR_GETTERS = _getters(HEALTH_MONITOR_FILTER_FIELDS)
MEMBER_GETTERS = _getters(MEMBER_FILTER_FIELDS)


def _child_id(parent_id, kind, index):
    return str(uuid.uuid5(uuid.NAMESPACE_URL,
                          '%s/%s/%d' % (parent_id, kind, index)))


class ListenerStore:
    """The fleet's listeners, pools and members by id, indexed by LB."""

    def __init__(self):
        self._listeners = {}
        self._pools = {}
        self._health_monitors = {}
        self._members = {}
        self._by_lb = {}
        self._addresses = sim_ids.AddressPool(MEMBER_NETWORK)

    def seed(self, lb, listeners, pools_per_listener, members_per_pool,
             health_monitors=True):
        """Give ``lb`` its listeners, pools, health monitors and members
        (fleet seeding)."""
        made = []
        for n in range(listeners):
            listener_id = _child_id(lb.id, 'listener', n)
            pool_ids = []
            for p in range(pools_per_listener):
                pool_id = _child_id(listener_id, 'pool', p)
                member_ids = []
                for m in range(members_per_pool):
                    member = models.Member(
                        id=_child_id(pool_id, 'member', m), lb=lb,
                        pool_id=pool_id, name='member-%d' % (m + 1),
                        address=self._addresses.allocate(),
                        protocol_port=MEMBER_PORT,
                        monitored=health_monitors)
                    self._members[member.id] = member
                    member_ids.append(member.id)
                monitor_id = None
                if health_monitors:
                    monitor = models.HealthMonitor(
                        id=_child_id(pool_id, 'healthmonitor', 0), lb=lb,
                        name='healthmonitor-%d' % (p + 1), pool_id=pool_id)
                    self._health_monitors[monitor.id] = monitor
                    monitor_id = monitor.id
                self._pools[pool_id] = models.Pool(
                    id=pool_id, lb=lb, name='pool-%d' % (p + 1),
                    listener_id=listener_id, member_ids=tuple(member_ids),
                    healthmonitor_id=monitor_id)
                pool_ids.append(pool_id)
            listener = models.Listener(
                id=listener_id, lb=lb, name='listener-%d' % (n + 1),
                protocol_port=LISTENER_PORT + n, pool_ids=tuple(pool_ids))
            self._listeners[listener_id] = listener
            made.append(listener)
        if made:
            self._by_lb[lb.id] = tuple(made)
            lb.listener_ids = tuple(listener.id for listener in made)
            lb.pool_ids = tuple(p for listener in made
                                for p in listener.pool_ids)

    def forget(self, lb_id):
        """Drop a deleted load balancer's listeners, pools and members."""
        for listener in self._by_lb.pop(lb_id, ()):
            del self._listeners[listener.id]
            for pool_id in listener.pool_ids:
                pool = self._pools.pop(pool_id)
                self._health_monitors.pop(pool.healthmonitor_id, None)
                for member_id in pool.member_ids:
                    del self._members[member_id]

    def status_tree(self, lb):
        return models.status_tree(lb, self._by_lb.get(lb.id, ()),
                                  self._pools, self._health_monitors,
                                  self._members)

    def list_listeners(self, context, filters, page):
        return self._page(self._candidates(models.Listener, filters),
                          context, filters, page, LISTENER_GETTERS)

    def get_listener(self, context, listener_id):
        return self._visible(context, self._listeners.get(listener_id),
                             'Listener', listener_id)

    def list_pools(self, context, filters, page):
        return self._page(self._candidates(models.Pool, filters),
                          context, filters, page, POOL_GETTERS)

    def get_pool(self, context, pool_id):
        return self._visible(context, self._pools.get(pool_id), 'Pool',
                             pool_id)

    def list_health_monitors(self, context, filters, page):
        return self._page(self._health_monitors.values(), context, filters,
                          page, HEALTH_MONITOR_GETTERS)

    def get_health_monitor(self, context, monitor_id):
        return self._visible(context, self._health_monitors.get(monitor_id),
                             'Health Monitor', monitor_id)

    def list_members(self, context, pool_id, filters, page):
        pool = self.get_pool(context, pool_id)
        return self._page([self._members[m] for m in pool.member_ids],
                          context, filters, page, MEMBER_GETTERS)

    def get_member(self, context, pool_id, member_id):
        pool = self.get_pool(context, pool_id)
        member = self._members.get(member_id)
        if member is None or member.pool_id != pool.id:
            raise exceptions.NotFound(resource='Member', id=member_id)
        return member

    def _candidates(self, kind, filters):
        """Listeners or pools; only the listed load balancers' ones when
        filtered so (a data-plane check asks for one LB's)."""
        lb_ids = [lb_id for name in LB_FILTERS
                  for lb_id in filters.get(name, ())]
        if not lb_ids:
            return (self._listeners if kind is models.Listener
                    else self._pools).values()
        return [child for lb_id in lb_ids
                for child in self._children(lb_id) if isinstance(child, kind)]

    def _children(self, lb_id):
        for listener in self._by_lb.get(lb_id, ()):
            yield listener
            for pool_id in listener.pool_ids:
                yield self._pools[pool_id]

    @staticmethod
    def _page(candidates, context, filters, page, getters):
        return page.page(
            [item for item in candidates
             if (context.is_admin or item.project_id == context.project_id)
             and pagination.matches(item, filters, getters)], getters)

    @staticmethod
    def _visible(context, item, resource, item_id):
        if item is None:
            raise exceptions.NotFound(resource=resource, id=item_id)
        if not context.is_admin and item.project_id != context.project_id:
            raise exceptions.PolicyForbidden()
        return item
