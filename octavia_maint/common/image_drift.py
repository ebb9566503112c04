"""Which amphorae run a stale image: one rule for plans, tasks and reports.

Octavia always boots the newest active image carrying
``[controller_worker] amp_image_tag``. An amphora is current when its
``image_id`` is that image. Some clouds (Octavia's noop drivers) report no
``image_id``; then an amphora created after the target image became
active was necessarily booted from it, and one created before was not.
"""

from oslo_utils import timeutils

from octavia_maint.common import constants


def as_target(image):
    """``{'id', 'name', 'active_since'}`` of the image Octavia boots.

    ``active_since`` is when Glance last changed the image (its
    activation, or a later tag change): amphorae created after it were
    booted from it when the cloud hides image ids.

    :param image: an image dict from the cloud facade.
    """
    return {'id': image['id'], 'name': image.get('name'),
            'active_since': image.get('updated_at') or
            image.get('created_at')}


def amphora_is_stale(amphora, target_image):
    """True when ``amphora`` does not run ``target_image``.

    :param amphora: amphora dict from the cloud facade.
    :param target_image: dict with ``id`` and ``active_since`` (ISO 8601).
    """
    if amphora.get('image_id'):
        return amphora['image_id'] != target_image['id']
    created = amphora.get('created_at')
    if not created or not target_image.get('active_since'):
        return True
    return (timeutils.normalize_time(timeutils.parse_isotime(created)) <
            timeutils.normalize_time(
                timeutils.parse_isotime(target_image['active_since'])))


def live_amphorae(amphorae):
    """The amphorae that still exist (Octavia may list DELETED ones)."""
    return [a for a in amphorae if a.get('status') != constants.DELETED]
