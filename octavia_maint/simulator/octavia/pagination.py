"""Octavia's list semantics: filters, sorting, marker pagination and links.

As ``octavia/api/common/pagination.py`` does it: any query parameter that
is not ``limit``/``marker``/``sort``/``sort_key``/``sort_dir``/``fields``/
``page_reverse`` is a filter on a resource field and an unknown one is a
400; the default order is ``created_at, id`` ascending; at most 1000 items a
page; a ``next`` link when a page is full, a ``previous`` one after a
marker. Links carry only limit, sort and marker, never the filters (so a
client must re-send its filters, as openstacksdk does).
"""

import urllib.parse

from octavia_maint.simulator.core import listing
from octavia_maint.simulator.core import wire
from octavia_maint.simulator.octavia import exceptions

AUXILIARY_ARGUMENTS = ('limit', 'marker', 'sort', 'sort_key', 'sort_dir',
                       'fields', 'page_reverse')
TAG_FILTERS = ('tags', 'tags-any', 'not-tags', 'not-tags-any')
DEFAULT_SORT_KEYS = ('created_at', 'id')


class PaginationHelper:
    """Parses one list request's query and applies it to a collection.

    :param getters: ``{field: item -> value}`` for every filterable and
        sortable field of the resource.
    :param tags_of: ``item -> list of tags``, or None if it has no tags.
    """

    def __init__(self, query, page_size, getters, tags_of=None,
                 default_sort_keys=DEFAULT_SORT_KEYS):
        self._query = query
        self._getters = getters
        self._tags_of = tags_of
        self._default_sort_keys = default_sort_keys
        self.marker = self._last('marker')
        self.page_reverse = self._last('page_reverse', 'False') == 'True'
        self.limit = self._parse_limit(page_size)
        self.sort_keys = self._parse_sort_keys()
        self.filters = self._parse_filters()

    def _last(self, name, default=None):
        values = self._query.get(name)
        return values[-1] if values else default

    def _parse_limit(self, page_size):
        value = self._last('limit')
        if value is None:
            return page_size
        try:
            limit = int(value)
        except ValueError:
            raise exceptions.InvalidLimit(key=value) from None
        return None if limit < 1 else min(limit, page_size)

    def _parse_sort_keys(self):
        pairs = []
        sort, sort_key = self._last('sort'), self._last('sort_key')
        if sort:
            for item in sort.split(','):
                parts = item.split(':')
                if len(parts) > 2:
                    raise exceptions.InvalidSortKey(key=parts)
                pairs.append((parts[0], parts[1] if len(parts) == 2
                              else 'asc'))
        elif sort_key:
            keys = sort_key.split(',')
            dirs = (self._last('sort_dir') or '').split(',')
            dirs = [d for d in dirs if d] + ['asc'] * len(keys)
            pairs = list(zip(keys, dirs))
        for key in self._default_sort_keys:
            if key not in (k for k, _ in pairs):
                pairs.append((key, 'asc'))
        for key, direction in pairs:
            if direction.lower() not in ('asc', 'desc'):
                raise exceptions.InvalidSortDirection(key=direction)
            if key not in self._getters:
                raise exceptions.InvalidSortKey(key=key)
        return [(key, direction.lower()) for key, direction in pairs]

    def _parse_filters(self):
        filters = {}
        for name, values in self._query.items():
            if name in AUXILIARY_ARGUMENTS:
                continue
            if name in TAG_FILTERS and self._tags_of is not None:
                filters[name] = [t for v in values for t in v.split(',')]
            elif name in self._getters:
                filters[name] = values
            else:
                raise exceptions.InvalidFilterArgument()
        return filters

    def apply(self, items):
        """Filter, sort and cut one page out of ``items``."""
        items = [item for item in items if self._matches(item)]
        items = listing.sort_items(items, [
            (self._getters[key], direction == 'desc')
            for key, direction in self.sort_keys])
        try:
            return listing.page(items, self.marker, self.limit,
                                reverse=self.page_reverse)
        except LookupError:
            raise exceptions.InvalidMarker(key=self.marker) from None

    def _matches(self, item):
        for name, wanted in self.filters.items():
            if name in TAG_FILTERS:
                if not _tags_match(name, set(self._tags_of(item)), wanted):
                    return False
            elif not any(_equal(self._getters[name](item), value)
                         for value in wanted):
                return False
        return True

    def links(self, url, page):
        """Octavia's ``<resources>_links`` for a page served at ``url``."""
        if not page:
            return []
        common = ['limit=%s' % self.limit]
        for name in ('sort', 'sort_key'):
            if self._last(name):
                common.append('%s=%s' % (name, urllib.parse.quote(
                    self._last(name), safe=':,')))
        links = []
        if self.marker:
            links.append({'href': '%s?%s' % (url, '&'.join(
                common + ['marker=%s' % page[0].id, 'page_reverse=True'])),
                'rel': 'previous'})
        if self.limit is None or len(page) >= self.limit:
            links.append({'href': '%s?%s' % (url, '&'.join(
                common + ['marker=%s' % page[-1].id])), 'rel': 'next'})
        return links


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
