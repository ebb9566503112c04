"""The one paginator: limit, marker, sort order and the next page's query.

OpenStack's list calls share one shape: filter, sort by the client's keys
plus tie-breakers, start after a marker, cut ``limit`` items, link the next
page. What differs between Nova, Glance and Octavia is data: page sizes,
the default direction, the tie-breakers, how ``sort`` is spelled and the
words of the errors. Each service declares a :class:`Paginator` with that
data; its handlers parse the query string into a typed
:class:`PageRequest` with :meth:`Paginator.request`, and its model cuts the
page with :meth:`PageRequest.page`.
"""

import dataclasses
import typing
import urllib.parse

DIRECTIONS = ('asc', 'desc')


@dataclasses.dataclass(frozen=True)
class PagingErrors:
    """The service's API errors, each ``value -> ApiError``.

    :param negative_limit: None where a limit below one means "no limit"
        (Octavia) rather than an error (Nova, Glance).
    """

    limit: typing.Callable
    marker: typing.Callable
    sort_key: typing.Callable
    sort_dir: typing.Callable
    negative_limit: typing.Optional[typing.Callable] = None


@dataclasses.dataclass(frozen=True)
class Paginator:
    """One service's list rules.

    :param sort_keys: the names a client may sort by.
    :param read_sort: ``args -> [(key, direction)]``: the service's spelling
        of ``sort``/``sort_key``/``sort_dir``, directions as given (None for
        the default).
    :param tie_breakers: keys added, in the default direction, when the
        client did not sort by them.
    :param default_limit: the page size without ``limit`` (None: the
        maximum).
    :param reversible: ``page_reverse=True`` asks for the page before the
        marker (Octavia).
    """

    sort_keys: typing.Collection
    read_sort: typing.Callable
    errors: PagingErrors
    default_direction: str = 'asc'
    tie_breakers: tuple = ()
    default_limit: typing.Optional[int] = None
    max_limit: int = 1000
    reversible: bool = False

    def request(self, args, max_limit=None):
        """Parse a list call's query string (a werkzeug ``MultiDict``).

        :param max_limit: overrides :attr:`max_limit` (Octavia's is a
            setting).
        :raises ApiError: the service's error for a bad limit or sort.
        """
        maximum = self.max_limit if max_limit is None else max_limit
        return PageRequest(
            marker=last(args, 'marker'),
            limit=self._limit(last(args, 'limit'), maximum),
            sort=self._sort(self.read_sort(args)),
            reverse=(self.reversible
                     and last(args, 'page_reverse') == 'True'),
            bad_marker=self.errors.marker)

    def _limit(self, text, maximum):
        if text is None:
            return maximum if self.default_limit is None else min(
                self.default_limit, maximum)
        try:
            limit = int(text)
        except ValueError:
            raise self.errors.limit(text) from None
        if limit < 0 and self.errors.negative_limit is not None:
            raise self.errors.negative_limit(text)
        if limit < 1 and self.errors.negative_limit is None:
            return None
        return min(limit, maximum)

    def _sort(self, pairs):
        pairs = [(key, self.default_direction if direction is None
                  else direction) for key, direction in pairs]
        given = {key for key, _ in pairs}
        pairs += [(key, self.default_direction) for key in self.tie_breakers
                  if key not in given]
        for key, direction in pairs:
            if key not in self.sort_keys:
                raise self.errors.sort_key(key)
            if direction not in DIRECTIONS:
                raise self.errors.sort_dir(direction)
        return tuple((key, direction == 'desc') for key, direction in pairs)


@dataclasses.dataclass(frozen=True)
class PageRequest:
    """The paging of one list call, typed.

    :param limit: the page size, or None for everything.
    :param sort: ``(key, descending)`` pairs, most significant first.
    :param reverse: the page before the marker rather than after it.
    """

    marker: typing.Optional[str] = None
    limit: typing.Optional[int] = None
    sort: tuple = ()
    reverse: bool = False
    bad_marker: typing.Callable = LookupError

    def page(self, items, getters):
        """Sort ``items`` and cut this page out of them.

        :param getters: ``{sort key: item -> value}``.
        :raises ApiError: the service's error when the marker is unknown.
        """
        ordered = list(items)
        # Stable sorts from the last key to the first give a mixed order.
        for key, descending in reversed(self.sort):
            getter = getters[key]
            ordered.sort(key=lambda item, g=getter: _none_first(g(item)),
                         reverse=descending)
        start, end = 0, len(ordered)
        if self.marker is not None:
            for index, item in enumerate(ordered):
                if item.id == self.marker:
                    break
            else:
                raise self.bad_marker(self.marker)
            if self.reverse:
                end = index
            else:
                start = index + 1
        if self.limit is None:
            return ordered[start:end]
        if self.reverse:
            return ordered[max(start, end - self.limit):end]
        return ordered[start:start + self.limit]

    def is_full(self, page):
        """Whether a next page may follow ``page``."""
        return bool(page) and (self.limit is None or len(page) >= self.limit)

    def next_query(self, args, page):
        """The query string of the page after ``page``: the same
        parameters with a marker, as Nova and Glance link it; None when
        ``page`` is the last."""
        if not self.is_full(page):
            return None
        params = [(name, value) for name, value in args.items(multi=True)
                  if name != 'marker']
        params.append(('marker', page[-1].id))
        return urllib.parse.urlencode(params)


def last(args, name):
    """The last value of a repeated parameter, as the services read it."""
    values = args.getlist(name)
    return values[-1] if values else None


def _none_first(value):
    return (value is not None, value if value is not None else '')
