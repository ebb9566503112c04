"""octavia-maint's exceptions.

Each carries a ``%(field)s`` message template and is raised with keyword
arguments, so the one-line text an operator reads says what to check. The
cloud facade turns SDK and keystoneauth errors into ``CloudError``
subclasses once; tasks, retries and the CLI only ever see these.
"""


class OctaviaMaintError(Exception):
    """Base of every error octavia-maint raises on purpose."""

    message = 'An unknown error occurred.'

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        super().__init__(self.message % kwargs)


class WaitTimeout(OctaviaMaintError):
    """A wait (``common.waiting``) ran out of time, and its caller gave no
    error of its own."""

    message = 'Gave up waiting after %(timeout)ss.'


class ConfigError(OctaviaMaintError):
    message = 'Configuration error: %(reason)s'


class InvalidInput(OctaviaMaintError):
    message = '%(reason)s'


class CloudError(OctaviaMaintError):
    """Any failure talking to the cloud."""

    message = 'Cloud error: %(reason)s'


class NotFound(CloudError):
    message = '%(resource)s %(id)s was not found in the cloud.'


class Conflict(CloudError):
    """The cloud refused a change because the resource is busy (HTTP 409)."""

    message = ('%(resource)s %(id)s cannot be changed now: %(reason)s '
               '(it is probably immutable while PENDING_*; retry later).')


class BadRequest(CloudError):
    message = 'The cloud rejected the request: %(reason)s'


class CloudTimeout(CloudError):
    message = ('Timed out after %(timeout)ss waiting for %(resource)s %(id)s '
               'to become %(status)s; it is still %(current)s.')


class ResourceInError(CloudError):
    message = ('%(resource)s %(id)s went to %(current)s while waiting for '
               '%(status)s.')


class CloudUnavailable(CloudError):
    """The cloud could not be reached, or answered 5xx after retries."""

    message = ('The cloud is unavailable: %(reason)s. Check the endpoint in '
               'the catalog, the network and the service\'s health.')


class ServiceUnavailable(CloudUnavailable):
    """An API kept answering 5xx (or 429) until the retries gave up.

    Says which API answered what to which request, so that an operator
    does not read it as a missing resource (openstacksdk's wording of any
    failed GET is "No LoadBalancer found").
    """

    message = ('The %(api)s API answered HTTP %(status)s to %(request)s: '
               '%(details)s. Check the service\'s health.')


class AuthenticationFailed(CloudError):
    message = ('Authentication to the cloud failed: %(reason)s. Check the '
               'credentials of [cloud] in the configuration or the '
               'clouds.yaml entry.')


class JobNotFound(OctaviaMaintError):
    message = ('No job %(id)s in the persistence database (check the id and '
               '[persistence] connection).')


class JobCancelled(OctaviaMaintError):
    """Raised before a step when the operator cancelled the job.

    The engine of a cancelled job reverts what the job already did, which
    is what ``job cancel`` promises (jobs/runner.py).
    """

    message = 'Job %(job_id)s was cancelled by the operator.'


class ClaimLost(OctaviaMaintError):
    """This conductor no longer owns the job (its session expired)."""

    message = ('Conductor %(owner)s lost its claim on job %(job_id)s; another '
               'conductor continues it.')


class ConductorStopping(ClaimLost):
    """This conductor stops (SIGTERM) and handed its jobs over: a step
    waiting for a throttle slot ends rather than keep the process alive
    for a slot it would not use."""

    message = ('This conductor is stopping; the conductor that claims the '
               'job next continues it.')


class CircuitOpen(OctaviaMaintError):
    message = ('Not failing over %(lb_id)s: campaign %(campaign_id)s already '
               'had %(failures)s failed failovers (limit %(limit)s).')


class FailoverFailed(OctaviaMaintError):
    message = 'Failover of load balancer %(lb_id)s failed: %(reason)s'


class TrafficNotRestored(FailoverFailed):
    """The data-plane check (tasks/traffic.py) failed: a load balancer
    that served before its failover does not after it."""

    message = ('Load balancer %(lb_id)s does not serve as before its '
               'failover (within %(seconds)ss): %(regressions)s')


class CanariesFailed(OctaviaMaintError):
    message = ('%(count)s of %(total)s canaries failed, so no other load '
               'balancer was touched: %(details)s')


class VerificationFailed(OctaviaMaintError):
    message = 'Load balancer %(lb_id)s was not verified: %(reason)s'


class CertificateRotationTimeout(OctaviaMaintError):
    message = ('Octavia did not renew the certificates of amphorae %(ids)s '
               'of load balancer %(lb_id)s within %(timeout)ss; check that '
               'octavia-housekeeping runs ([house_keeping] cert_interval).')


class HostNotEvacuated(OctaviaMaintError):
    message = ('%(count)s amphorae are still on host %(host)s: %(amphorae)s; '
               'see job show for why each load balancer was left.')


class ScopeNotConverged(OctaviaMaintError):
    message = ('%(count)s load balancers in scope still need the work and '
               'were not skipped for a stated reason: %(ids)s')


class CampaignFailed(OctaviaMaintError):
    message = ('%(failed)s of %(total)s targets failed and %(left)s were not '
               'attempted; see job show for each target.')
