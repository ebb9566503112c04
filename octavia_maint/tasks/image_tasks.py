"""Tasks on Glance images: upload the new amphora image, find the target."""

from oslo_log import log as logging
from taskflow.types import failure

from octavia_maint.cloud import images as cloud_images
from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint.common import image_drift
from octavia_maint import conf
from octavia_maint.tasks import base

LOG = logging.getLogger(__name__)
CONF = conf.CONF

JOB_TAG_PREFIX = 'octavia-maint-job-'


def job_tag(job_id):
    """The tag that marks an image as uploaded by job ``job_id``."""
    return JOB_TAG_PREFIX + job_id


class UploadImage(base.BaseTask):
    """Upload a new amphora image with the amphora tag.

    Idempotent: the image also carries a tag naming this job. A re-run
    returns the job's active image if the upload finished; an image of
    the job that never became active (a crash mid-upload) is deleted
    before uploading again, so none is left behind. When the image
    Octavia boots already holds the file's content (the same job posted
    again), that image is the result and nothing is uploaded.

    Revert undoes only this job's upload: an image it reused (without the
    job's tag) is left alone. It deletes its own image unless
    amphorae already run on it (the job failed over some load balancers
    before it was cancelled): deleting their image would leave Nova
    unable to rebuild them. Then it only removes the amphora tag, so
    Octavia boots the previous image again, and keeps the image, which
    still carries the job's tag.
    """

    def execute(self, job_id, image_file, image_name, image_tag,
                disk_format):
        """:returns: the uploaded image dict (``id``, ``name``, ...)."""
        marker = job_tag(job_id)
        for image in self.cloud.list_images(marker):
            if image['status'] == cloud_images.ACTIVE:
                LOG.info('Image %s of job %s was already uploaded',
                         image['id'], job_id)
                return image
            LOG.info('Deleting image %s (%s) of an interrupted upload of '
                     'job %s', image['id'], image['status'], job_id)
            self.cloud.delete_image(image['id'])
        same = self.cloud.newest_image_if_same_content(
            image_tag, image_file, owner=CONF.octavia.amp_image_owner_id)
        if same:
            LOG.info('Image %s with tag %s already holds %s: reusing it, '
                     'nothing uploaded', same['id'], image_tag, image_file)
            return same
        image = self.cloud.create_image(image_name, image_file,
                                        tags=[image_tag, marker],
                                        disk_format=disk_format)
        LOG.info('Uploaded image %s (%s) with tag %s', image['id'],
                 image_name, image_tag)
        return image

    def revert(self, result, job_id, image_tag, *args, **kwargs):
        if isinstance(result, failure.Failure) or not result:
            return
        if job_tag(job_id) not in result.get('tags', ()):
            return      # reused, not uploaded by this job
        try:
            in_use = self._amphorae_on(result)
            if in_use:
                LOG.warning('Reverting job %s: %d amphorae run on its image '
                            '%s; keeping the image, removing tag %s',
                            job_id, in_use, result['id'], image_tag)
                self.cloud.remove_image_tag(result['id'], image_tag)
            else:
                LOG.warning('Reverting job %s: deleting its image %s',
                            job_id, result['id'])
                self.cloud.delete_image(result['id'])
        except exceptions.NotFound:
            pass
        except Exception:
            LOG.exception('Could not revert the upload of image %s by job '
                          '%s', result['id'], job_id)

    def _amphorae_on(self, image):
        target = image_drift.as_target(image)
        return sum(not image_drift.amphora_is_stale(amphora, target)
                   for amphora in image_drift.live_amphorae(
                       self.cloud.list_amphorae()))


def untag_uploaded_image(cloud, job_id, child_inputs, image_tag):
    """The circuit breaker's action in rotate-image: un-tag the new image.

    When failovers onto the image keep ending in ERROR (or timing out, or
    leaving load balancers that serve no more), or a canary failed,
    every further amphora Octavia boots from it (a health manager's
    failover, a new load balancer) is likely broken too; without the tag
    Octavia boots the previous image. Only an image this job uploaded
    loses its tag: one the operator tagged stays theirs to judge.
    Idempotent; the image itself is kept (amphorae run on it), and ``job
    cancel`` still reverts the rest.

    :returns: what it did, for ``job show``, or None for an image this
        job did not upload.
    """
    image = cloud.get_image(child_inputs[constants.TARGET_IMAGE]['id'])
    if job_tag(job_id) not in image['tags']:
        return None
    if image_tag in image['tags']:
        LOG.warning('Circuit breaker of job %s: removing tag %s from its '
                    'image %s', job_id, image_tag, image['id'])
        cloud.remove_image_tag(image['id'], image_tag)
    return ('the circuit breaker opened ([throttle] max_failures failed '
            'failovers, or a canary failed): image %s, uploaded by this '
            'job, no longer carries tag %s, so no new amphora boots it; fix '
            'the image and post a new job, or job cancel %s to revert the '
            'rest'
            % (image['id'], image_tag, job_id))


class PlanImageUpload(base.BaseTask):
    """A dry run's stand-in for UploadImage and ResolveTargetImage.

    Uploads nothing. When the image Octavia boots already holds the
    file's content, a real run reuses it (UploadImage), so the dry run
    plans against that image; else against the image to upload.
    Read-only, so safe to run again; nothing to revert.
    """

    def execute(self, image_file, image_tag):
        """:returns: ``{'id', 'name', 'active_since'}``, with ``reused``
            True for the image a real run would reuse."""
        same = self.cloud.newest_image_if_same_content(
            image_tag, image_file, owner=CONF.octavia.amp_image_owner_id)
        if same:
            return dict(image_drift.as_target(same), reused=True)
        return dict(TO_UPLOAD)


# What a dry run plans against when the image is not uploaded yet.
TO_UPLOAD = {'id': '(image to upload)', 'name': None, 'active_since': None,
             'reused': False}


class ResolveTargetImage(base.BaseTask):
    """Find the image Octavia boots: the newest active one with the tag.

    Read-only, so safe to run again.
    """

    def execute(self, image_tag):
        """:returns: ``{'id', 'name', 'active_since'}``.

        :raises InvalidInput: no active image carries the tag.
        """
        image = self.cloud.find_newest_image(
            image_tag, owner=CONF.octavia.amp_image_owner_id)
        if not image:
            raise exceptions.InvalidInput(
                reason='No active image with tag %r%s: Octavia cannot boot '
                       'amphorae.' % (image_tag, (
                           ' and owner %s' % CONF.octavia.amp_image_owner_id
                           if CONF.octavia.amp_image_owner_id else '')))
        return image_drift.as_target(image)
