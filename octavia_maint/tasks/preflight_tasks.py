"""Checks against the cloud before a job is posted (``job post``, dry runs).

A procedure's preflight flow (``Procedure.get_preflight_flow``) is built
of these and run by ``JobService.validate`` in memory, nothing saved: a
named target that does not exist, an image tag nothing carries, a
database the job will need and cannot reach are refused with one
``InvalidInput`` before anything is posted. Every task here only reads,
so it is safe to run again and has nothing to revert.
"""

import math

from octavia_maint.common import exceptions
from octavia_maint.common import image_drift
from octavia_maint import conf
from octavia_maint.tasks import amphora_tasks
from octavia_maint.tasks import base
from octavia_maint.tasks import heartbeat_tasks

CONF = conf.CONF


class CheckScopeExists(base.BaseTask):
    """Refuse a project or load balancer the cloud does not know.

    Octavia lists nothing for a project it never heard of, so a typo (or
    a project name where an id is expected) would plan zero targets and
    report success; Keystone says whether the project exists.
    """

    def execute(self, project_id, load_balancer_ids):
        """:raises InvalidInput: an unknown project or load balancer."""
        if project_id:
            _check_project_exists(self.cloud, project_id)
        _check_load_balancers_exist(self.cloud, load_balancer_ids)


class CheckTaggedImageExists(base.BaseTask):
    """Refuse to rotate to a tag no active image carries (and none is
    uploaded)."""

    def execute(self, image_tag):
        """:raises InvalidInput: no active image has ``image_tag``."""
        if not self.cloud.find_newest_image(
                image_tag, owner=CONF.octavia.amp_image_owner_id):
            raise exceptions.InvalidInput(
                reason='no active image has tag %r; upload one with '
                       '--image-file' % image_tag)


class CheckOctaviaDatabase(base.BaseTask):
    """Refuse a job that needs Octavia's database when it is unreachable."""

    def execute(self):
        """:raises ConfigError, CloudUnavailable: as the database says."""
        self.cloud.octavia_db.check()


class CheckComputeHostKnown(base.BaseTask):
    """Refuse a host without a nova-compute service (a typo would find
    nothing to do and report success)."""

    def execute(self, host):
        """:raises InvalidInput: Nova has no compute service on ``host``."""
        if not self.cloud.list_compute_services(host=host):
            raise exceptions.InvalidInput(
                reason='host %s has no nova-compute service (see openstack '
                       'compute service list)' % host)


class CheckConfigureWindow(base.BaseTask):
    """Refuse a heartbeat-key change that cannot configure every amphora
    within the raised ``heartbeat_timeout`` at the throttle, or cannot
    read whether amphorae are heard."""

    def execute(self, heartbeat_timeout, heartbeat_interval):
        """:raises InvalidInput: the window is too short, or
            ``amphora_health`` cannot be read."""
        params = {'heartbeat_timeout': heartbeat_timeout,
                  'heartbeat_interval': heartbeat_interval}
        count = len(image_drift.live_amphorae(self.cloud.list_amphorae()))
        window = heartbeat_tasks.configure_window(params, count,
                                                  CONF.throttle)
        if window['needed_seconds'] > window['allowed_seconds']:
            raise exceptions.InvalidInput(
                reason='configuring %d amphorae takes about %ds at the '
                       'throttle, more than half of --heartbeat-timeout %d; '
                       'use --heartbeat-timeout %d or more, or raise '
                       '[throttle] max_concurrent_failovers'
                % (count, window['needed_seconds'], heartbeat_timeout,
                   math.ceil(window['needed_seconds']
                             / heartbeat_tasks.WINDOW_SHARE)))
        try:
            self.cloud.amphora_heartbeats([])
        except (exceptions.ConfigError, exceptions.CloudUnavailable) as e:
            raise exceptions.InvalidInput(reason=str(e))


class DoubtHostTracking(base.BaseTask):
    """Say why an evacuation may find nothing where something runs.

    ``job post`` refuses the job with this doubt unless ``--force``; a dry
    run shows it in its notes.
    """

    def execute(self, host):
        """:returns: the doubt, or None (see
            :func:`amphora_tasks.lost_track`)."""
        return amphora_tasks.lost_track(self.cloud, host)


def _check_project_exists(cloud, project_id):
    """:raises InvalidInput: Keystone has no project with this id."""
    try:
        cloud.get_project(project_id)
        return
    except exceptions.NotFound:
        pass
    named = cloud.list_projects(name=project_id)
    if named:
        raise exceptions.InvalidInput(
            reason='%r is the name of project %s; --project-id takes the '
                   'id' % (project_id, ', '.join(p['id'] for p in named)))
    raise exceptions.InvalidInput(
        reason='project %r not found in Keystone; give a project id '
               '(openstack project list)' % project_id)


def _check_load_balancers_exist(cloud, load_balancer_ids):
    """:raises InvalidInput: a named load balancer does not exist."""
    for lb_id in load_balancer_ids:
        try:
            cloud.get_load_balancer(lb_id)
        except exceptions.NotFound:
            raise exceptions.InvalidInput(
                reason='load balancer %s does not exist' % lb_id)
