"""Amphorae through Octavia's admin amphora API.

Octavia filters amphorae by any of their fields and answers 400 to an
unknown one; :mod:`.filters` refuses the ones openstacksdk would not
send, and both become ``BadRequest``. An amphora failover needs its load
balancer ACTIVE (409 otherwise).
"""

from openstack.load_balancer.v2 import amphora as sdk_amphora

from octavia_maint.cloud import filters as cloud_filters
from octavia_maint.cloud import records
from octavia_maint.cloud import retry

RESOURCE = 'Amphora'
# The API serving it, for error messages.
API = 'load-balancer (Octavia)'

FIELDS = ('id', 'loadbalancer_id', 'compute_id', 'status', 'role',
          'image_id', 'cert_expiration', 'cert_busy', 'lb_network_ip',
          'created_at', 'updated_at', 'compute_flavor')


class AmphoraMixin:
    """Amphora calls of :class:`octavia_maint.cloud.facade.Cloud`."""

    @retry.api_call(RESOURCE, api=API)
    def list_amphorae(self, **filters):
        """All amphorae matching the filters (any amphora field), every page.

        :raises: BadRequest on an unknown filter.
        """
        cloud_filters.require_known(sdk_amphora.Amphora, filters)
        return records.octavia_listing(
            self._conn.load_balancer, sdk_amphora.Amphora, 'amphorae',
            filters, FIELDS)

    @retry.api_call(RESOURCE, id_arg='amphora_id', api=API)
    def get_amphora(self, amphora_id):
        """:raises: NotFound."""
        return records.octavia_item(
            self._conn.load_balancer, sdk_amphora.Amphora, 'amphora',
            amphora_id, FIELDS)

    @retry.api_call(RESOURCE, id_arg='amphora_id', idempotent=False,
                    api=API)
    def failover_amphora(self, amphora_id):
        """Ask Octavia to replace the amphora (cannot be undone).

        :raises: Conflict when its load balancer is not ACTIVE, NotFound.
        """
        self._conn.load_balancer.failover_amphora(amphora_id)

    @retry.api_call(RESOURCE, id_arg='amphora_id', idempotent=False,
                    api=API)
    def configure_amphora(self, amphora_id):
        """Make Octavia push a fresh agent configuration to the amphora.

        The agent reloads it at once (heartbeat key included, since Octavia
        4.0). Treated as not idempotent: Octavia queues one update per call.

        :raises: NotFound, Conflict.
        """
        self._conn.load_balancer.configure_amphora(amphora_id)
