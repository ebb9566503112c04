"""Projects in Keystone (identity v3).

Why the facade reads projects at all: Octavia filters load balancers by
any ``project_id`` string and answers an empty list for one that does
not exist, so a mistyped id, or a project *name* given where an id is
expected, would plan zero targets and "succeed". Keystone is the one
place that knows which projects exist.
"""

from octavia_maint.cloud import records
from octavia_maint.cloud import retry

RESOURCE = 'Project'
# How an unavailable-API error names this service.
API = 'identity (Keystone)'

FIELDS = ('id', 'name', 'domain_id', 'is_enabled')


class IdentityMixin:
    """Project calls of :class:`octavia_maint.cloud.facade.Cloud`."""

    @retry.api_call(RESOURCE, id_arg='project_id', api=API)
    def get_project(self, project_id):
        """``GET /v3/projects/{id}``; needs a role that may read projects.

        :raises: NotFound.
        """
        return records.to_record(
            self._conn.identity.get_project(project_id), FIELDS)

    @retry.api_call(RESOURCE, api=API)
    def list_projects(self, name=None):
        """Projects, optionally only those called ``name`` (``?name=``)."""
        filters = {} if name is None else {'name': name}
        return records.to_records(self._conn.identity.projects(**filters),
                                  FIELDS)

    def cloud_key(self):
        """Which cloud this is, for what is kept per cloud (failover
        history): its Keystone URL and region, never a credential.

        Read from the configuration (clouds.yaml, ``[cloud]``, or the
        openstack CLI's session); no request is sent.
        """
        auth = self._conn.config.config.get('auth') or {}
        auth_url = auth.get('auth_url') or getattr(
            self._conn.session.auth, 'auth_url', None)
        return '%s %s' % ((auth_url or 'unknown').rstrip('/'),
                          self._conn.config.region_name or '-')
