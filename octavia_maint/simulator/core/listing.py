"""Sorting and marker pagination shared by every service's list calls.

Each service decides its own defaults, limits and link format; these
helpers only do the part that is the same everywhere.
"""


def sort_items(items, keys):
    """Sort by several keys, each ``(getter, descending)``; None sorts first.

    Stable sorts from the last key to the first give a mixed-direction order.
    """
    result = list(items)
    for getter, descending in reversed(keys):
        result.sort(key=lambda item, g=getter: _none_first(g(item)),
                    reverse=descending)
    return result


def _none_first(value):
    return (value is not None, value if value is not None else '')


def page(items, marker, limit, reverse=False):
    """The page after (or, reversed, before) the item whose id is ``marker``.

    :param limit: page size, or None for everything.
    :raises LookupError: when ``marker`` is not in ``items``.
    """
    start, end = 0, len(items)
    if marker is not None:
        for index, item in enumerate(items):
            if item.id == marker:
                break
        else:
            raise LookupError(marker)
        if reverse:
            end = index
        else:
            start = index + 1
    if limit is None:
        return items[start:end]
    if reverse:
        return items[max(start, end - limit):end]
    return items[start:start + limit]
