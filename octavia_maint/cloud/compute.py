"""Servers and compute services in Nova.

Two traps this module exists to avoid: openstacksdk filters servers by host
with ``compute_host=`` (sent as ``host=``); a ``host=`` keyword is not one
of its server filters. And the servers of every project are only listed with
``all_projects=True`` (sent as ``all_tenants``). Services are enabled and
disabled by id, which needs compute API microversion 2.53.
"""

from openstack import utils as sdk_utils

from octavia_maint.cloud import records
from octavia_maint.cloud import retry
from octavia_maint.cloud import waiters
from octavia_maint.common import exceptions

SERVER = 'Server'
SERVICE = 'Compute service'
# The API serving both, for error messages.
API = 'compute (Nova)'

SERVER_FIELDS = ('id', 'name', 'project_id', 'status', 'compute_host',
                 'task_state', 'created_at')

SERVICE_FIELDS = ('id', 'binary', 'host', 'status', 'state',
                  'disabled_reason', ('zone', 'availability_zone'))

# What a wait for a deleted server waits for (Nova itself answers 404).
DELETED = 'DELETED'

# Microversion from which Nova updates a service by its id.
SERVICE_BY_ID_MICROVERSION = '2.53'


class ComputeMixin:
    """Server and compute service calls of the facade."""

    @retry.api_call(SERVER, api=API)
    def list_servers_on_host(self, host):
        """Every server of every project on a compute host.

        Needs an admin role (``all_tenants``).
        """
        return records.to_records(self._conn.compute.servers(
            details=True, all_projects=True, compute_host=host),
            SERVER_FIELDS)

    @retry.api_call(SERVER, id_arg='server_id', api=API)
    def get_server(self, server_id):
        """:raises: NotFound."""
        return records.to_record(self._conn.compute.get_server(server_id),
                                 SERVER_FIELDS)

    @retry.api_call(SERVER, id_arg='server_id', idempotent=False,
                    api=API)
    def delete_server(self, server_id):
        """Delete the server.

        :raises: NotFound.
        """
        self._conn.compute.delete_server(server_id, ignore_missing=False)

    def wait_for_server_deleted(self, server_id, timeout=None,
                                interval=None):
        """Poll until Nova no longer knows the server.

        A server is gone when Nova answers 404; whatever status it shows
        meanwhile (ERROR and SHUTOFF included) does not end the wait.

        :raises: CloudTimeout.
        """
        def fetch():
            try:
                return self.get_server(server_id)
            except exceptions.NotFound:
                return {'status': DELETED}
        waiters.wait_for_status(fetch, SERVER, server_id, DELETED, (),
                                **self._wait_args(timeout, interval))

    @retry.api_call(SERVICE, api=API)
    def list_compute_services(self, host=None, binary='nova-compute'):
        """Compute services, optionally of one host and one binary."""
        filters = {key: value for key, value in
                   (('host', host), ('binary', binary)) if value is not None}
        return records.to_records(self._conn.compute.services(**filters),
                                  SERVICE_FIELDS)

    @retry.api_call(SERVICE, id_arg='service_id', api=API,
                    changes=True)
    def disable_compute_service(self, service_id, reason):
        """Disable a service, saying why (sets an absolute state).

        :returns: the service record.
        """
        self._require_service_by_id()
        return records.to_record(self._conn.compute.disable_service(
            service_id, disabled_reason=reason), SERVICE_FIELDS)

    @retry.api_call(SERVICE, id_arg='service_id', api=API,
                    changes=True)
    def enable_compute_service(self, service_id):
        """Enable a service (sets an absolute state).

        :returns: the service record.
        """
        self._require_service_by_id()
        return records.to_record(
            self._conn.compute.enable_service(service_id), SERVICE_FIELDS)

    def _require_service_by_id(self):
        if not sdk_utils.supports_microversion(
                self._conn.compute, SERVICE_BY_ID_MICROVERSION):
            raise exceptions.CloudError(
                reason='the compute API does not support microversion %s, '
                       'needed to change a service by id (Nova Pike or '
                       'newer)' % SERVICE_BY_ID_MICROVERSION)
