"""Octavia's list semantics: filters, its spelling of sort, and links.

As ``octavia/api/common/pagination.py`` does it: any query parameter that
is not ``limit``/``marker``/``sort``/``sort_key``/``sort_dir``/``fields``/
``page_reverse`` is a filter on a resource field and an unknown one is a
400; the default order is ``created_at, id`` ascending; at most 1000 items a
page; a ``next`` link when a page is full, a ``previous`` one after a
marker. Links carry only limit, sort and marker, never the filters (so a
client must re-send its filters, as openstacksdk does). Limit, marker and
sort order are the shared paginator's (``core/listing.py``).
"""

import urllib.parse

from octavia_maint.simulator.core import listing
from octavia_maint.simulator.core import wire
from octavia_maint.simulator.octavia import exceptions
from octavia_maint.simulator.octavia import models

AUXILIARY_ARGUMENTS = ('limit', 'marker', 'sort', 'sort_key', 'sort_dir',
                       'fields', 'page_reverse')
TAG_FILTERS = ('tags', 'tags-any', 'not-tags', 'not-tags-any')
DEFAULT_SORT_KEYS = ('created_at', 'id')
ERRORS = listing.PagingErrors(
    limit=lambda value: exceptions.InvalidLimit(key=value),
    marker=lambda value: exceptions.InvalidMarker(key=value),
    sort_key=lambda value: exceptions.InvalidSortKey(key=value),
    sort_dir=lambda value: exceptions.InvalidSortDirection(key=value))


def read_sort(args):
    """Octavia's spelling: ``sort=key:dir,...`` or comma-separated
    ``sort_key``/``sort_dir``; directions are case-insensitive."""
    sort, sort_key = listing.last(args, 'sort'), listing.last(args, 'sort_key')
    pairs = []
    if sort:
        for item in sort.split(','):
            parts = item.split(':')
            if len(parts) > 2:
                raise exceptions.InvalidSortKey(key=parts)
            pairs.append((parts[0], parts[1] if len(parts) == 2 else None))
    elif sort_key:
        keys = sort_key.split(',')
        dirs = [d for d in (listing.last(args, 'sort_dir') or '').split(',')
                if d]
        pairs = [(key, dirs[index] if index < len(dirs) else None)
                 for index, key in enumerate(keys)]
    return [(key, None if direction is None else direction.lower())
            for key, direction in pairs]


def paginator(fields, tie_breakers=DEFAULT_SORT_KEYS):
    """The paging of a collection sortable by ``fields``."""
    return listing.Paginator(
        sort_keys=frozenset(fields), read_sort=read_sort, errors=ERRORS,
        tie_breakers=tie_breakers, reversible=True)


LOAD_BALANCERS = paginator(models.LOAD_BALANCER_FIELDS)
FLAVORS = paginator(models.FLAVOR_FIELDS, tie_breakers=('id',))
AMPHORAE = paginator(models.AMPHORA_FILTER_FIELDS)
LISTENERS = paginator(models.LISTENER_FIELDS)
POOLS = paginator(models.POOL_FIELDS)
HEALTH_MONITORS = paginator(models.HEALTH_MONITOR_FIELDS)
MEMBERS = paginator(models.MEMBER_FIELDS)


def filters(args, fields, tagged=False):
    """The filters of a list call: ``{field: [values]}``, tag filters
    split on commas.

    :param fields: the fields a client may filter on.
    :raises InvalidFilterArgument: for any other parameter.
    """
    result = {}
    for name, values in args.lists():
        if name in AUXILIARY_ARGUMENTS:
            continue
        if name in TAG_FILTERS and tagged:
            result[name] = [t for v in values for t in v.split(',')]
        elif name in fields:
            result[name] = values
        else:
            raise exceptions.InvalidFilterArgument()
    return result


def matches(item, filters, getters, tags_of=None):
    """Whether ``item`` passes every filter."""
    for name, wanted in filters.items():
        if name in TAG_FILTERS:
            if not _tags_match(name, set(tags_of(item)), wanted):
                return False
        elif not any(_equal(getters[name](item), value) for value in wanted):
            return False
    return True


def links(url, args, request, page):
    """Octavia's ``<resources>_links`` for a page served at ``url``.

    They carry limit, sort and marker, never the filters.
    """
    if not page:
        return []
    common = ['limit=%s' % request.limit]
    for name in ('sort', 'sort_key'):
        if listing.last(args, name):
            common.append('%s=%s' % (name, urllib.parse.quote(
                listing.last(args, name), safe=':,')))
    result = []
    if request.marker:
        result.append({'href': '%s?%s' % (url, '&'.join(
            common + ['marker=%s' % page[0].id, 'page_reverse=True'])),
            'rel': 'previous'})
    if request.is_full(page):
        result.append({'href': '%s?%s' % (url, '&'.join(
            common + ['marker=%s' % page[-1].id])), 'rel': 'next'})
    return result


def _tags_match(name, tags, wanted):
    if name == 'tags':
        return set(wanted) <= tags
    if name == 'tags-any':
        return bool(tags & set(wanted))
    if name == 'not-tags':
        return not set(wanted) <= tags
    return not tags & set(wanted)


def _equal(actual, text):
    if isinstance(actual, bool):
        try:
            return actual == wire.parse_bool(text)
        except ValueError:
            return False
    if actual is None:
        return False
    if isinstance(actual, float):
        return wire.iso_seconds(actual) == text
    return str(actual) == text


def select_fields(document, fields):
    """Octavia's ``fields=`` selection on one resource's wire dict.

    Each ``fields`` parameter names one field (``fields=id&fields=name``);
    Octavia does not split a value on commas, so ``fields=id,name``
    matches no field and selects nothing.
    """
    if not fields:
        return document
    return {k: v for k, v in document.items() if k in fields}
