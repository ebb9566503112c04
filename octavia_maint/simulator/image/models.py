"""Glance's state and rules: images, their tags, properties and data.

Only the size and hashes of uploaded data are kept, never the bytes.
Gaps: no members/sharing, no image import, no data download; every user
sees every image (as an admin does).
"""

import dataclasses
import hashlib

from octavia_maint.simulator.core import listing
from octavia_maint.simulator.core import wire
from octavia_maint.simulator.image import exceptions

DEFAULT_LIMIT = 25
MAX_LIMIT = 1000
SORT_KEYS = ('name', 'status', 'container_format', 'disk_format', 'size',
             'id', 'created_at', 'updated_at')
VISIBILITIES = ('public', 'private', 'shared', 'community')
# Attributes a client may set on create and patch.
CORE_ATTRIBUTES = ('name', 'visibility', 'protected', 'os_hidden',
                   'disk_format', 'container_format', 'min_disk', 'min_ram',
                   'tags')
READ_ONLY = ('status', 'checksum', 'os_hash_algo', 'os_hash_value', 'size',
             'virtual_size', 'created_at', 'updated_at', 'file', 'self',
             'schema', 'direct_url', 'locations')
_EQUALITY_FILTERS = ('name', 'status', 'owner', 'disk_format',
                     'container_format', 'checksum', 'id')
# Parameters that are not filters on an attribute or property.
NOT_FIELD_FILTERS = ('limit', 'marker', 'sort', 'sort_key', 'sort_dir',
                     'tag', 'visibility', 'os_hidden', 'member_status')


@dataclasses.dataclass
class Image:
    id: str
    name: str
    owner: str
    created_at: float
    updated_at: float
    status: str = 'queued'
    visibility: str = 'shared'
    protected: bool = False
    os_hidden: bool = False
    disk_format: str = None
    container_format: str = None
    min_disk: int = 0
    min_ram: int = 0
    size: int = None
    checksum: str = None
    os_hash_value: str = None
    tags: list = dataclasses.field(default_factory=list)
    properties: dict = dataclasses.field(default_factory=dict)

    def to_dict(self):
        result = dict(self.properties)
        result.update({
            'id': self.id, 'name': self.name, 'owner': self.owner,
            'status': self.status, 'visibility': self.visibility,
            'protected': self.protected, 'os_hidden': self.os_hidden,
            'disk_format': self.disk_format,
            'container_format': self.container_format,
            'min_disk': self.min_disk, 'min_ram': self.min_ram,
            'size': self.size, 'virtual_size': None,
            'checksum': self.checksum,
            'os_hash_algo': 'sha512' if self.os_hash_value else None,
            'os_hash_value': self.os_hash_value,
            'tags': list(self.tags),
            'created_at': wire.iso_z(self.created_at),
            'updated_at': wire.iso_z(self.updated_at),
            'self': '/v2/images/%s' % self.id,
            'file': '/v2/images/%s/file' % self.id,
            'schema': '/v2/schemas/image',
        })
        return result


class ImageBackend:
    """Images keyed by id; one method per Glance action."""

    def __init__(self, clock, ids):
        self._clock = clock
        self._ids = ids
        self._images = {}

    def create_image(self, attributes, owner):
        """Create a queued image from a ``POST /v2/images`` body."""
        for key in attributes:
            if key in READ_ONLY:
                raise exceptions.ReadOnlyAttribute(attribute=key)
        now = self._clock.now()
        image = Image(id=attributes.get('id') or self._ids.uuid(),
                      name=attributes.get('name'), owner=owner,
                      created_at=now, updated_at=now)
        for key, value in attributes.items():
            if key != 'id':
                self._set(image, key, value)
        self._images[image.id] = image
        return image

    def add_active_image(self, name, owner, tags, created_at, size):
        """Seed an already uploaded image (for the initial fleet)."""
        image = self.create_image({'name': name, 'tags': list(tags),
                                   'disk_format': 'qcow2',
                                   'container_format': 'bare'}, owner)
        image.created_at = image.updated_at = created_at
        self._store_data(image, name.encode() * max(1, size // len(name)))
        return image

    def restore_image(self, record):
        """Seed an image as a fleet snapshot recorded it, hashes included
        (rotate-image reuses an image whose content is the file's)."""
        image = self.create_image({'id': record['id'],
                                   'name': record.get('name'),
                                   'tags': list(record.get('tags') or []),
                                   'disk_format': 'qcow2',
                                   'container_format': 'bare'},
                                  record.get('owner'))
        image.status = record.get('status') or 'active'
        image.size = record.get('size')
        image.checksum = record.get('checksum')
        image.os_hash_value = record.get('os_hash_value')
        image.created_at = record['created_at']
        image.updated_at = record.get('updated_at') or record['created_at']
        return image

    def get_image(self, image_id):
        image = self._images.get(image_id)
        if image is None:
            raise exceptions.ImageNotFound(image_id=image_id)
        return image

    def upload(self, image_id, data):
        image = self.get_image(image_id)
        if image.status != 'queued':
            raise exceptions.InvalidStatusTransition(current=image.status,
                                                     target='saving')
        self._store_data(image, data)
        return image

    def _store_data(self, image, data):
        image.size = len(data)
        image.checksum = hashlib.md5(data, usedforsecurity=False).hexdigest()
        image.os_hash_value = hashlib.sha512(data).hexdigest()
        image.status = 'active'
        image.updated_at = self._clock.now()

    def delete_image(self, image_id):
        image = self.get_image(image_id)
        if image.protected:
            raise exceptions.ProtectedImageDelete(image_id=image_id)
        del self._images[image_id]

    def add_tag(self, image_id, tag):
        image = self.get_image(image_id)
        if tag not in image.tags:
            image.tags.append(tag)
            image.updated_at = self._clock.now()

    def remove_tag(self, image_id, tag):
        image = self.get_image(image_id)
        if tag not in image.tags:
            raise exceptions.TagNotFound(tag=tag)
        image.tags.remove(tag)
        image.updated_at = self._clock.now()

    def patch(self, image_id, operations):
        """Apply a JSON patch (add, replace, remove) to an image."""
        image = self.get_image(image_id)
        if not isinstance(operations, list):
            raise exceptions.BadRequest(reason='Expected a list of changes.')
        for operation in operations:
            self._apply(image, operation)
        image.updated_at = self._clock.now()
        return image

    def _apply(self, image, operation):
        op, path = operation.get('op'), operation.get('path', '')
        key = path.lstrip('/')
        if op not in ('add', 'replace', 'remove') or not key or '/' in key:
            raise exceptions.BadRequest(
                reason='Invalid JSON pointer or operation: %s %s' % (op, path))
        if key in READ_ONLY or key in ('id', 'owner'):
            raise exceptions.ReadOnlyAttribute(attribute=key)
        if op != 'remove':
            self._set(image, key, operation.get('value'))
        elif key in CORE_ATTRIBUTES:
            raise exceptions.ReadOnlyAttribute(attribute=key)
        elif image.properties.pop(key, None) is None:
            raise exceptions.BadRequest(
                reason='Property %s does not exist.' % key)

    @staticmethod
    def _set(image, key, value):
        if key == 'visibility' and value not in VISIBILITIES:
            raise exceptions.BadRequest(
                reason='Invalid visibility value: %s' % value)
        if key == 'tags' and not isinstance(value, list):
            raise exceptions.BadRequest(reason='tags must be a list')
        if key in CORE_ATTRIBUTES:
            setattr(image, key, list(value) if key == 'tags' else value)
        else:
            image.properties[key] = value

    def list_images(self, filters, page):
        """Filter, sort and page as ``GET /v2/images`` does.

        :param filters: an :class:`ImageFilters`.
        :param page: a :class:`listing.PageRequest` of :data:`IMAGES`.
        """
        return page.page(
            [i for i in self._images.values() if filters.matches(i)],
            IMAGE_GETTERS)

    def newest_active(self, tag, owner=None):
        """The image Octavia boots: newest active image with ``tag``."""
        candidates = [i for i in self._images.values()
                      if i.status == 'active' and tag in i.tags
                      and (not owner or i.owner == owner)]
        return max(candidates, key=lambda i: (i.created_at, i.id),
                   default=None)

    def summary(self):
        return [{'id': i.id, 'name': i.name, 'status': i.status,
                 'tags': list(i.tags),
                 'created_at': wire.iso_z(i.created_at)}
                for i in sorted(self._images.values(),
                                key=lambda i: i.created_at)]


@dataclasses.dataclass(frozen=True)
class ImageFilters:
    """What ``GET /v2/images`` filters on.

    :param tags: tags an image must all have.
    :param visibility: one visibility, or ``all``.
    :param fields: ``{attribute or property: value}``; ``in:a,b`` matches
        either.
    """

    os_hidden: bool = False
    tags: tuple = ()
    visibility: str = 'all'
    fields: dict = dataclasses.field(default_factory=dict)

    def matches(self, image):
        if image.os_hidden != self.os_hidden:
            return False
        if any(tag not in image.tags for tag in self.tags):
            return False
        if self.visibility != 'all' and image.visibility != self.visibility:
            return False
        for key, value in self.fields.items():
            if key in _EQUALITY_FILTERS:
                actual = getattr(image, key)
            else:
                actual = image.properties.get(key)
            wanted = (value[3:].split(',') if value.startswith('in:')
                      else [value])
            if actual is None or str(actual) not in wanted:
                return False
        return True


def _read_sort(args):
    """Glance's spelling: ``sort=key:dir,...``, or repeated ``sort_key``
    with ``sort_dir`` (one direction applies to the keys after it)."""
    if 'sort' in args:
        pairs = []
        for item in listing.last(args, 'sort').split(','):
            key, _sep, direction = item.partition(':')
            pairs.append((key.strip(), direction.strip() or None))
        return pairs
    dirs = args.getlist('sort_dir')
    return [(key, dirs[index] if index < len(dirs) else (
        dirs[-1] if dirs else None))
        for index, key in enumerate(args.getlist('sort_key'))]


IMAGE_GETTERS = {key: (lambda image, k=key: getattr(image, k))
                 for key in SORT_KEYS}
IMAGES = listing.Paginator(
    sort_keys=SORT_KEYS, read_sort=_read_sort, default_direction='desc',
    tie_breakers=('created_at', 'id'), default_limit=DEFAULT_LIMIT,
    max_limit=MAX_LIMIT,
    errors=listing.PagingErrors(
        limit=lambda value: exceptions.BadRequest(
            reason='limit param must be an integer'),
        negative_limit=lambda value: exceptions.BadRequest(
            reason='limit param must be positive'),
        marker=lambda value: exceptions.BadRequest(
            reason='Invalid marker. Image %s could not be found.' % value),
        sort_key=lambda value: exceptions.BadRequest(
            reason='Invalid sort key: %s. It must be one of the following: '
                   '%s.' % (value, ', '.join(SORT_KEYS))),
        sort_dir=lambda value: exceptions.BadRequest(
            reason='Invalid sort direction: %s' % value)))
