"""rotate-image: move every amphora onto the newest tagged image.

Plan: optionally upload the new image (tagged, so Octavia boots it from
now on), resolve the image Octavia boots, and select the load balancers
with at least one amphora on another image. Per load balancer: snapshot
its amphorae, fail it over (throttled), verify every amphora now runs the
target image. DESIGN.md section 4.
"""

import datetime
import functools
import os

from oslo_utils import timeutils
from taskflow.patterns import linear_flow

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.common import image_file
from octavia_maint import conf
from octavia_maint.flows import procedure
from octavia_maint.tasks import fleet_tasks
from octavia_maint.tasks import image_tasks
from octavia_maint.tasks import load_balancer_tasks
from octavia_maint.tasks import preflight_tasks

CONF = conf.CONF


class RotateImage(procedure.Procedure):
    name = constants.ROTATE_IMAGE
    description = ('Fail over every load balancer whose amphorae do not run '
                   'the newest image with the amphora tag.')
    parameters = (
        procedure.Parameter('image_tag', 'Glance tag Octavia boots amphorae '
                            'from (default: [octavia] amp_image_tag).',
                            metavar='<tag>'),
        procedure.Parameter('image_file', 'Upload this qcow2 file as the new '
                            'amphora image first (revert deletes it).',
                            metavar='<file>'),
        procedure.Parameter('image_name', 'Name of the uploaded image.',
                            default='amphora-x64-haproxy',
                            metavar='<name>'),
        procedure.Parameter('disk_format', 'Disk format of --image-file: '
                            'qcow2 (checked by its header) or raw.',
                            default=image_file.QCOW2,
                            metavar='<qcow2|raw>'),
        procedure.Parameter('allow_raw', 'Upload a raw --image-file, which '
                            'cannot be recognised by its content.',
                            kind=bool, default=False),
        procedure.Parameter('older_than', 'Also replace amphorae created more '
                            'than this many days ago, even on the current '
                            'image (refreshes long-lived amphorae).',
                            kind=int, metavar='<days>'),
    ) + procedure.LOAD_BALANCER_SCOPE + (
        procedure.VERIFY_TRAFFIC,) + procedure.CANARY
    child_inputs = (constants.TARGET_IMAGE, constants.INCLUDE_ERROR,
                    constants.VERIFY_TRAFFIC)
    target_key = constants.LB_ID
    plan_atom = constants.ROTATE_IMAGE_SELECT
    result_atom = constants.ROTATE_IMAGE_VERIFY
    left_by_failure = (
        'the image stays tagged (Octavia boots it for every new amphora) and '
        'the load balancers failed over stay on it; the others keep their '
        'old amphorae.')
    left_by_cancel = (
        'the image this job uploaded loses the amphora tag, so Octavia '
        'boots the previous image again; it is deleted if no amphora runs '
        'it, else kept. Load balancers already failed over stay on it (a '
        'failover cannot be undone).')

    def check(self, params):
        params['image_tag'] = params['image_tag'] or CONF.octavia.amp_image_tag
        days = params['older_than']
        if days is not None and (isinstance(days, bool) or
                                 not isinstance(days, int) or days < 1):
            raise exceptions.InvalidInput(
                reason='--older-than takes a positive whole number of '
                       'days, not %r' % (days,))
        procedure.check_scope(params)
        procedure.check_canary(params)
        if params['image_file']:
            # Saved with the job: a conductor elsewhere must find it too.
            params['image_file'] = os.path.abspath(params['image_file'])
            # Before the job exists: a bad file tagged as the amphora
            # image would be booted by every new amphora of the cloud.
            image_file.check(params['image_file'], params['disk_format'],
                             params['allow_raw'])
        elif params['disk_format'] != image_file.QCOW2 or params['allow_raw']:
            raise exceptions.InvalidInput(
                reason='--disk-format and --allow-raw describe '
                       '--image-file; give it too')

    def get_preflight_flow(self, params):
        flow = linear_flow.Flow(constants.PREFLIGHT_FLOW)
        flow.add(procedure.scope_preflight(params))
        if not params['image_file']:
            flow.add(preflight_tasks.CheckTaggedImageExists(
                name=constants.PREFLIGHT_IMAGE_TAG,
                inject={constants.IMAGE_TAG: params['image_tag']}))
        return flow

    def targets_of(self, params):
        return set(params['load_balancer_ids'])

    def estimate(self, params, targets, throttle, failover_times):
        plan = super().estimate(params, targets, throttle, failover_times)
        if params['image_file'] and (params['project_id'] or
                                     params['load_balancer_ids']):
            # The scope limits the failovers, not the tag: an operator
            # rotating one project must know every other one boots it too.
            scope = ('project %s' % params['project_id']
                     if params['project_id'] else
                     'the %d load balancers given'
                     % len(params['load_balancer_ids']))
            plan['notes'] = ' '.join(filter(None, (
                plan['notes'],
                'The uploaded image gets tag %r, so it becomes the boot '
                'image of every new amphora in the whole cloud (every '
                'creation, failover and repair), not only of %s.'
                % (params['image_tag'], scope))))
        return plan

    def plan_notes(self, params, results):
        target = results.get(constants.TARGET_IMAGE) or {}
        if not target.get('reused'):
            return None
        return ('Image %s, which Octavia boots now, already holds %s: it is '
                'reused, nothing is uploaded.'
                % (target['id'], params['image_file']))

    def campaign_store(self, params):
        """With ``--older-than``, the cutoff is fixed when the job is
        posted: a resumed campaign, its children and its scope check all
        judge by the same one, and the amphorae its failovers create are
        after it."""
        store = {constants.INCLUDE_ERROR: params['include_error']}
        if params.get('older_than'):
            store[constants.REFRESH_BEFORE] = (
                timeutils.utcnow() -
                datetime.timedelta(days=params['older_than'])
            ).isoformat(timespec='seconds')
        return store

    def child_params(self, params):
        return procedure.traffic_inputs(params)

    def canary_subject(self, params, child_inputs):
        image = child_inputs[constants.TARGET_IMAGE]
        return 'on image %s (%s)' % (image['id'], image.get('name'))

    def get_plan_flow(self, params, dry_run=False):
        flow = linear_flow.Flow(constants.ROTATE_IMAGE_PLAN_FLOW)
        inject = {constants.IMAGE_TAG: params['image_tag'],
                  constants.PROJECT_ID: params['project_id'],
                  constants.LOAD_BALANCER_IDS: params['load_balancer_ids']}
        if params['image_file'] and dry_run:
            flow.add(image_tasks.PlanImageUpload(
                name=constants.ROTATE_IMAGE_PLAN_UPLOAD,
                provides=constants.TARGET_IMAGE,
                inject={constants.IMAGE_FILE: params['image_file'],
                        constants.IMAGE_TAG: params['image_tag']}))
        else:
            if params['image_file']:
                flow.add(image_tasks.UploadImage(
                    name=constants.ROTATE_IMAGE_UPLOAD,
                    provides=constants.UPLOADED_IMAGE,
                    inject={constants.IMAGE_FILE: params['image_file'],
                            constants.IMAGE_NAME: params['image_name'],
                            # Jobs posted before the option was added.
                            constants.DISK_FORMAT: params.get(
                                'disk_format', image_file.QCOW2),
                            constants.IMAGE_TAG: params['image_tag']}))
            flow.add(image_tasks.ResolveTargetImage(
                name=constants.ROTATE_IMAGE_RESOLVE,
                provides=constants.TARGET_IMAGE,
                inject={constants.IMAGE_TAG: params['image_tag']}))
        flow.add(fleet_tasks.SelectLoadBalancersToRotate(
            name=constants.ROTATE_IMAGE_SELECT, provides=constants.TARGETS,
            inject=inject))
        return flow

    def breaker_action(self, params):
        if not params['image_file']:
            return None
        return functools.partial(image_tasks.untag_uploaded_image,
                                 image_tag=params['image_tag'])

    def get_scope_check(self, params):
        return fleet_tasks.CheckScopeRotated(
            name=constants.ROTATE_IMAGE_CHECK_SCOPE,
            inject={constants.PROJECT_ID: params['project_id'],
                    constants.LOAD_BALANCER_IDS: params['load_balancer_ids']})

    def get_target_flow(self, target_id):
        flow = linear_flow.Flow(constants.ROTATE_IMAGE_TARGET_FLOW)
        flow.add(
            load_balancer_tasks.SnapshotLoadBalancer(
                name=constants.ROTATE_IMAGE_SNAPSHOT,
                provides=constants.LB_SNAPSHOT),
            load_balancer_tasks.FailoverLoadBalancer(
                name=constants.ROTATE_IMAGE_FAILOVER,
                provides=constants.FAILOVER_OUTCOME),
            load_balancer_tasks.VerifyLoadBalancerImage(
                name=constants.ROTATE_IMAGE_VERIFY,
                provides=constants.TARGET_RESULT))
        return flow
