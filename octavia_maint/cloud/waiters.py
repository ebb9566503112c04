"""Poll a resource until it reaches a status.

Why not openstacksdk's ``resource.wait_for_status``: it polls with a bare
``fetch``, so one transient 502 during a ten-minute failover would end the
wait, and its timeout error does not say which status the resource was left
in. Here each poll is a facade call (retried and translated like any other),
and a timeout says what the operator should look at.
"""

import logging

from octavia_maint.common import exceptions
from octavia_maint.common import waiting

LOG = logging.getLogger(__name__)


def wait_for_status(fetch, resource, resource_id, status, failures,
                    timeout, interval, attribute='status', delay=0.0,
                    clock=None, sleep=None):
    """Call ``fetch()`` until ``record[attribute]`` equals ``status``.

    Statuses are compared without regard to case (Octavia says ``ACTIVE``,
    Glance ``active``).

    :param fetch: returns the resource's current record (a dict); its
        ``NotFound`` ends the wait.
    :param failures: statuses that end the wait with ``ResourceInError``.
    :param timeout: seconds before ``CloudTimeout``.
    :param interval: seconds between two polls.
    :param delay: seconds before the first poll; the timeout counts from
        that poll.
    :returns: the record in the wanted status.
    :raises: ResourceInError, CloudTimeout, NotFound, or any facade error.
    """
    wanted = status.upper()
    failing = {failure.upper() for failure in failures} - {wanted}

    def current(record):
        value = record[attribute]
        return None if value is None else value.upper()

    def poll():
        record = fetch()
        if current(record) in failing:
            raise exceptions.ResourceInError(
                resource=resource, id=resource_id, current=record[attribute],
                status=status)
        if current(record) != wanted:
            LOG.debug("%s %s is %s, waiting for %s", resource, resource_id,
                      record[attribute], status)
        return record

    def timed_out(record):
        return exceptions.CloudTimeout(
            timeout=timeout, resource=resource, id=resource_id,
            status=status, current=record[attribute])

    return waiting.wait_until(
        poll, until=lambda record: current(record) == wanted,
        interval=interval, timeout=timeout, timeout_error=timed_out,
        delay=delay, clock=clock, sleep=sleep)
