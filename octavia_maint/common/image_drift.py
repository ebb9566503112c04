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


def amphora_is_stale(amphora, target_image, refresh_before=None):
    """True when ``amphora`` does not run ``target_image``, or, with
    ``refresh_before``, was created before that (``rotate-image
    --older-than``: long-lived amphorae are replaced even on the current
    image).

    :param amphora: amphora dict from the cloud facade.
    :param target_image: dict with ``id`` and ``active_since`` (ISO 8601).
    :param refresh_before: ISO 8601 time, or None.
    """
    return (amphora_is_old(amphora, refresh_before) or
            _not_on(amphora, target_image))


def amphora_is_old(amphora, refresh_before):
    """True when ``amphora`` was created before ``refresh_before`` (ISO
    8601; None: never). One whose creation time the cloud hides is not:
    an age-based rotation must not replace what it cannot date."""
    created = amphora.get('created_at')
    if not refresh_before or not created:
        return False
    return _time(created) < _time(refresh_before)


def _time(iso):
    return timeutils.normalize_time(timeutils.parse_isotime(iso))


def _not_on(amphora, target_image):
    if amphora.get('image_id'):
        return amphora['image_id'] != target_image['id']
    created = amphora.get('created_at')
    if not created or not target_image.get('active_since'):
        return True
    return _time(created) < _time(target_image['active_since'])


def live_amphorae(amphorae):
    """The amphorae that still exist (Octavia may list DELETED ones)."""
    return [a for a in amphorae if a.get('status') != constants.DELETED]
