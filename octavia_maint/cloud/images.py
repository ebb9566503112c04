"""Amphora images in Glance.

Octavia boots the newest *active* image carrying ``[controller_worker]
amp_image_tag`` (and owned by ``amp_image_owner_id`` when set);
:meth:`ImageMixin.find_newest_image` answers the same question, so an image
rotation targets exactly what Octavia will boot.
"""

import os

from octavia_maint.cloud import records
from octavia_maint.cloud import retry
from octavia_maint.cloud import waiters
from octavia_maint.common import exceptions
from octavia_maint.common import image_file

RESOURCE = 'Image'
# The API serving it, for error messages.
API = 'image (Glance)'

FIELDS = ('id', 'name', 'status', 'tags', 'owner', 'created_at',
          'updated_at', 'checksum', ('os_hash_algo', 'hash_algo'),
          ('os_hash_value', 'hash_value'), 'size')

ACTIVE = 'active'

# Glance statuses from which an upload never becomes active.
FAILURE_STATUSES = ('killed', 'deleted', 'pending_delete')


class ImageMixin:
    """Image calls of :class:`octavia_maint.cloud.facade.Cloud`."""

    def create_image(self, name, filename, tags, disk_format='qcow2',
                     container_format='bare', wait=True, timeout=None):
        """Upload a new image, even if one of that name exists.

        :param tags: list of tags, e.g. ``[CONF.octavia.amp_image_tag]``.
        :param wait: poll until the image is active.
        :param timeout: seconds; ``[cloud] wait_timeout`` when None.
        :returns: the image record.
        :raises: InvalidInput when the file is not readable,
            ResourceInError, CloudTimeout.
        """
        if not os.path.isfile(filename) or not os.access(filename, os.R_OK):
            raise exceptions.InvalidInput(
                reason='image file %s is not a readable file' % filename)
        image = self._upload_image(name, filename, list(tags), disk_format,
                                   container_format)
        if not wait:
            return image
        return waiters.wait_for_status(
            lambda: self.get_image(image['id']), RESOURCE, image['id'],
            ACTIVE, FAILURE_STATUSES, **self._wait_args(timeout, None))

    @retry.api_call(RESOURCE, id_arg='name', idempotent=False,
                    api=API)
    def _upload_image(self, name, filename, tags, disk_format,
                      container_format):
        """Create the image and upload its data (PUT, not image import).

        openstacksdk deletes the new image itself when the upload fails, so
        a retry after a refused upload leaves no orphan behind.
        """
        return records.to_record(self._conn.image.create_image(
            name, filename=filename, tags=tags, disk_format=disk_format,
            container_format=container_format, allow_duplicates=True,
            wait=False), FIELDS)

    @retry.api_call(RESOURCE, api=API)
    def find_newest_image(self, tag, owner=None):
        """The newest active image with ``tag`` (and ``owner``), or None.

        Sorted here on ``created_at`` rather than trusting the server's
        sort: there are few tagged images, and this stays right against
        any Glance.
        """
        filters = {'tag': tag, 'status': ACTIVE}
        if owner:
            filters['owner'] = owner
        candidates = records.to_records(
            self._conn.image.images(**filters), FIELDS)
        candidates = [image for image in candidates
                      if image['status'] == ACTIVE and tag in image['tags']]
        if not candidates:
            return None
        return max(candidates, key=lambda image: image['created_at'])

    def newest_image_if_same_content(self, tag, filename, owner=None):
        """The image Octavia boots (:meth:`find_newest_image`) when its
        data is the content of ``filename``, else None.

        Compared by Glance's multihash (``os_hash_algo``/``os_hash_value``),
        or its md5 ``checksum`` where the image has no multihash. Only the
        newest tagged image counts: an older one with that content is not
        what Octavia boots, so uploading again is what makes it so.
        """
        image = self.find_newest_image(tag, owner=owner)
        if not image:
            return None
        algorithm, value = image.get('os_hash_algo'), image.get(
            'os_hash_value')
        if not (algorithm and value):
            algorithm, value = 'md5', image.get('checksum')
        if value and image_file.digest(filename, algorithm) == value:
            return image
        return None

    @retry.api_call(RESOURCE, api=API)
    def list_images(self, tag):
        """Every image with ``tag``, whatever its status."""
        return [image for image in records.to_records(
            self._conn.image.images(tag=tag), FIELDS)
            if tag in image['tags']]

    @retry.api_call(RESOURCE, id_arg='image_id', api=API)
    def get_image(self, image_id):
        """:raises: NotFound."""
        return records.to_record(self._conn.image.get_image(image_id),
                                 FIELDS)

    @retry.api_call(RESOURCE, id_arg='image_id', api=API,
                    changes=True)
    def add_image_tag(self, image_id, tag):
        """Tag the image (adding a tag twice is harmless).

        :raises: NotFound.
        """
        self._conn.image.add_tag(image_id, tag)

    @retry.api_call(RESOURCE, id_arg='image_id', idempotent=False,
                    api=API)
    def remove_image_tag(self, image_id, tag):
        """Untag the image.

        Not retried after a maybe-applied error: Glance answers 404 when
        the tag is already gone, which would read as a missing image.

        :raises: NotFound (image, or tag not on it).
        """
        self._conn.image.remove_tag(image_id, tag)

    @retry.api_call(RESOURCE, id_arg='image_id', idempotent=False,
                    api=API)
    def delete_image(self, image_id):
        """Delete the image.

        :raises: NotFound.
        """
        self._conn.image.delete_image(image_id, ignore_missing=False)
