"""Tasks on a host's nova-compute service: find it, disable it for a job.

Disabling the service keeps Nova's scheduler from placing new servers
(the replacement amphorae of an evacuation included) on the host. The
reason the service is disabled with names the job, and that is the fence
for both directions: a re-run after a crash finds the service disabled
*by this job* and does nothing more, and a revert re-enables the service
only while it still carries this job's reason, so a host an operator had
disabled for another reason stays disabled.
"""

from oslo_log import log as logging
from taskflow.types import failure

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.tasks import base

LOG = logging.getLogger(__name__)

DISABLED = 'disabled'


def disabled_reason(job_id):
    """The reason a service disabled by job ``job_id`` carries."""
    return 'octavia-maint evacuate-host job %s' % job_id


class _ComputeServiceTask(base.BaseTask):

    def _service(self, host):
        """:raises NotFound: the host has no nova-compute service."""
        services = self.cloud.list_compute_services(host=host)
        if not services:
            raise exceptions.NotFound(resource='nova-compute service on host',
                                      id=host)
        return services[0]

    @staticmethod
    def _record(service, disabled_by_job):
        return {'id': service['id'], 'host': service['host'],
                'previous_status': service['status'],
                'previous_reason': service['disabled_reason'],
                'disabled_by_job': disabled_by_job}


class FindComputeService(_ComputeServiceTask):
    """Read the host's nova-compute service (a dry run's stand-in for
    :class:`DisableComputeService`). Read-only, so safe to run again."""

    def execute(self, host):
        """:returns: the service record with ``disabled_by_job`` False."""
        return self._record(self._service(host), False)


class DisableComputeService(_ComputeServiceTask):
    """Disable the host's nova-compute service with a reason naming the job.

    Runs after the plan: a job with no amphora to move never disables
    the host, not even for a while. Safe to run again: a service that
    already carries this job's reason was disabled by this job before a
    crash. A service an operator had already disabled is left as it is
    (its reason too). Revert re-enables the service only if it still
    carries this job's reason.
    """

    def execute(self, job_id, host, targets):
        """:param targets: the plan; nothing to run means nothing to fence.
        :returns: ``{'id', 'host', 'previous_status', 'previous_reason',
            'disabled_by_job'}``.
        """
        service = self._service(host)
        if not any(t['action'] == constants.PLAN_RUN for t in targets):
            LOG.info('No amphora to move off %s: nova-compute is left as '
                     'it is (%s)', host, service['status'])
            return self._record(service, False)
        reason = disabled_reason(job_id)
        if service['status'] == DISABLED:
            mine = service['disabled_reason'] == reason
            if not mine:
                LOG.info('nova-compute on %s was already disabled (%s); '
                         'this job will not re-enable it', host,
                         service['disabled_reason'])
            return self._record(service, mine)
        self.job.check_active()
        self.cloud.disable_compute_service(service['id'], reason)
        LOG.info('Disabled nova-compute on %s: %s', host, reason)
        return self._record(service, True)

    def revert(self, result, job_id, host, targets, **kwargs):
        # Also after a failed execute: the disable may have been applied
        # before the answer was lost, and the reason tells.
        if not isinstance(result, failure.Failure) and not (
                result and result['disabled_by_job']):
            return
        try:
            service = self._service(host)
            if (service['status'] != DISABLED or
                    service['disabled_reason'] != disabled_reason(job_id)):
                return
            LOG.warning('Reverting evacuation: re-enabling nova-compute on '
                        '%s, disabled by job %s', host, job_id)
            self.cloud.enable_compute_service(service['id'])
        except Exception:
            LOG.exception('Failed to re-enable nova-compute on %s while '
                          'reverting job %s', host, job_id)
