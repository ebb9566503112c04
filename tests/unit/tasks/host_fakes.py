"""A fake cloud with hosts, servers and compute services (our boundary).

Extends :class:`fakes.FakeCloud`: every amphora has a server on a host;
an amphora failover (only while its load balancer is ACTIVE, else 409)
flips the load balancer to PENDING_UPDATE, and the next wait replaces
the amphora by a new one on ``spare_host``. Deleting a server marks it
``deleting``; waiting for it removes it. Every change is recorded.
"""

from octavia_maint.common import exceptions
from tests.unit import sample_params
from tests.unit.tasks import fakes

SERVICE_PROJECT = sample_params.SERVICE_PROJECT


class FakeHostCloud(fakes.FakeCloud):
    def __init__(self, spare_host='spare'):
        super().__init__()
        self.spare_host = spare_host
        self.servers = {}
        self.services = {}
        self.amphora_failovers = []
        self.deletes = []
        self.service_changes = []
        self.busy_answers = 0      # 409s to give before accepting
        self._pending = {}

    # -- seeding --------------------------------------------------------
    def add_host(self, host, status='enabled', reason=None):
        self.services[host] = {'id': 'svc-' + host, 'binary': 'nova-compute',
                               'host': host, 'status': status,
                               'state': 'up', 'disabled_reason': reason,
                               'zone': 'nova'}

    def add_server(self, host, name=None, project_id=SERVICE_PROJECT,
                   status='ACTIVE'):
        server_id = fakes.new_id('srv')
        self.servers[server_id] = {
            'id': server_id, 'name': name or 'amphora-' + fakes.new_id('x'),
            'project_id': project_id, 'status': status,
            'compute_host': host, 'task_state': None,
            'created_at': '2026-01-01T00:00:00Z'}
        return server_id

    def add_lb_on_hosts(self, lb_id, hosts, status='ACTIVE'):
        roles = ['STANDALONE'] if len(hosts) == 1 else ['MASTER', 'BACKUP']
        self.lbs[lb_id] = {'id': lb_id, 'name': lb_id, 'project_id': 'p1',
                           'provisioning_status': status,
                           'provider': 'amphora'}
        for role, host in zip(roles, hosts):
            self._boot(lb_id, role, host)

    def _boot(self, lb_id, role, host):
        amp_id = fakes.new_id('amp')
        self.amphorae[amp_id] = {
            'id': amp_id, 'loadbalancer_id': lb_id, 'role': role,
            'status': 'ALLOCATED', 'image_id': 'img-old',
            'compute_id': self.add_server(host, 'amphora-' + amp_id),
            'created_at': '2026-01-01T00:00:00'}
        return amp_id

    def amphorae_on(self, host):
        return sorted(a['id'] for a in self.amphorae.values()
                      if self.servers[a['compute_id']]['compute_host']
                      == host)

    # -- servers --------------------------------------------------------
    def list_servers_on_host(self, host):
        return [dict(s) for s in self.servers.values()
                if s['compute_host'] == host]

    def list_servers(self, project_id=None):
        return [dict(s) for s in self.servers.values()
                if project_id is None or s['project_id'] == project_id]

    def get_server(self, server_id):
        try:
            return dict(self.servers[server_id])
        except KeyError:
            raise exceptions.NotFound(resource='Server', id=server_id)

    def delete_server(self, server_id):
        self.get_server(server_id)
        self.deletes.append(server_id)
        self.servers[server_id]['task_state'] = 'deleting'

    def wait_for_server_deleted(self, server_id, timeout=None,
                                interval=None):
        self.servers.pop(server_id, None)

    # -- compute services -----------------------------------------------
    def list_compute_services(self, host=None, binary='nova-compute'):
        return [dict(s) for s in self.services.values()
                if host is None or s['host'] == host]

    def disable_compute_service(self, service_id, reason):
        service = self._service(service_id)
        service.update(status='disabled', disabled_reason=reason)
        self.service_changes.append(('disable', service['host']))
        return dict(service)

    def enable_compute_service(self, service_id):
        service = self._service(service_id)
        service.update(status='enabled', disabled_reason=None)
        self.service_changes.append(('enable', service['host']))
        return dict(service)

    def _service(self, service_id):
        return next(s for s in self.services.values()
                    if s['id'] == service_id)

    # -- amphora failover -----------------------------------------------
    def failover_amphora(self, amphora_id):
        amp = self.amphorae[amphora_id]
        lb = self.lbs[amp['loadbalancer_id']]
        if self.busy_answers or lb['provisioning_status'] != 'ACTIVE':
            self.busy_answers = max(0, self.busy_answers - 1)
            raise exceptions.Conflict(resource='Amphora', id=amphora_id,
                                      reason='load balancer is immutable')
        self.amphora_failovers.append(amphora_id)
        lb['provisioning_status'] = 'PENDING_UPDATE'
        self._pending[lb['id']] = amphora_id

    def wait_for_load_balancer(self, lb_id, status='ACTIVE', timeout=None,
                               interval=None, delay=0.0):
        amphora_id = self._pending.pop(lb_id, None)
        if amphora_id is None:
            return super().wait_for_load_balancer(lb_id, status, timeout,
                                                  interval, delay)
        old = self.amphorae.pop(amphora_id)
        self._boot(lb_id, old['role'], self.spare_host)
        self.servers.pop(old['compute_id'])
        self.lbs[lb_id]['provisioning_status'] = 'ACTIVE'
        self.listener_statuses[lb_id] = (
            'ERROR' if self.image_id in self.bad_images else 'ONLINE')
        return dict(self.lbs[lb_id])
