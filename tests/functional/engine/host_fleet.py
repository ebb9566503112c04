"""The fleet of the host procedures' functional tests, and what to read off it.

Three hosts; tenant VMs on every host; three orphan amphora VMs (as a
failed host leaves behind) on ``ORPHAN_HOST``. What the tests assert is
read from the simulator itself (its servers, amphorae and counters), never
from octavia-maint's own bookkeeping.
"""

import collections

from tests.functional.engine import conftest

ORPHAN_HOST = 'compute-001'
ORPHANS = 3
FLEET = {'load_balancers': 8, 'active_standby_ratio': 0.5, 'hosts': 3,
         'tenant_vms': 12, 'orphan_amphora_vms': ORPHANS,
         'orphan_host': ORPHAN_HOST}


def make(monkeypatch, **changes):
    return conftest.make_simulator(monkeypatch, **dict(FLEET, **changes))


def groups(sim, base):
    """``base`` configuration plus the simulator's service project."""
    return dict(base, octavia={
        'service_project_id': sim.fleet()['service_project_id']})


class Observer:
    """Reads the simulated cloud through one openstacksdk connection."""

    def __init__(self, sim):
        self.sim = sim
        self._conn = sim.connection()

    def close(self):
        self._conn.close()

    def servers(self):
        """``{server id: (host, project id, name)}`` of every server."""
        return {s.id: (s.compute_host, s.project_id, s.name)
                for s in self._conn.compute.servers(all_projects=True)}

    def amphorae(self):
        return [{'id': a.id, 'compute_id': a.compute_id,
                 'loadbalancer_id': a.loadbalancer_id}
                for a in self._conn.load_balancer.amphorae()]

    def load_balancers(self):
        return {lb.id: lb.provisioning_status
                for lb in self._conn.load_balancer.load_balancers()}

    def orphans(self):
        live = {a['compute_id'] for a in self.amphorae()}
        return sorted(i for i, (_, _, name) in self.servers().items()
                      if name.startswith('amphora-') and i not in live)

    def amphorae_on(self, host):
        where = self.servers()
        return sorted(a['id'] for a in self.amphorae()
                      if where.get(a['compute_id'], (None,))[0] == host)

    def busiest_host(self):
        """The host with the most amphorae."""
        where = self.servers()
        hosts = collections.Counter(where[a['compute_id']][0]
                                    for a in self.amphorae())
        return hosts.most_common(1)[0][0]

    def tenant_vms(self):
        service_project = self.sim.fleet()['service_project_id']
        return {i: v for i, v in self.servers().items()
                if v[1] != service_project}

    def host_status(self, host):
        return self.sim.fleet()['hosts'][host]
