"""Tasks on Glance images: upload the new amphora image, find the target."""

from oslo_log import log as logging
from taskflow.types import failure

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

    Idempotent: the image also carries a tag naming this job, and a re-run
    first looks for an active image with that tag, so a crash after the
    upload never uploads twice. Revert deletes only that image, the one
    this job uploaded.
    """

    def execute(self, job_id, image_file, image_name, image_tag):
        """:returns: the uploaded image dict (``id``, ``name``, ...)."""
        marker = job_tag(job_id)
        existing = self.cloud.find_newest_image(marker)
        if existing:
            LOG.info('Image %s of job %s was already uploaded',
                     existing['id'], job_id)
            return existing
        image = self.cloud.create_image(image_name, image_file,
                                        tags=[image_tag, marker])
        LOG.info('Uploaded image %s (%s) with tag %s', image['id'],
                 image_name, image_tag)
        return image

    def revert(self, result, job_id, *args, **kwargs):
        if isinstance(result, failure.Failure) or not result:
            return
        LOG.warning('Reverting upload: deleting image %s of job %s',
                    result['id'], job_id)
        try:
            self.cloud.delete_image(result['id'])
        except exceptions.NotFound:
            pass
        except Exception:
            LOG.exception('Failed to delete image %s while reverting job %s',
                          result['id'], job_id)


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
