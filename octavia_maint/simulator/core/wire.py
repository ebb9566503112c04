"""Wire-format helpers: timestamps as each service writes them, booleans.

Formatting is cached: a listing writes the same few thousand timestamps
(creation times do not change) on every call, and ``strftime`` was the
largest cost of serving one.
"""

import datetime
import functools

TRUE_STRINGS = frozenset(('1', 't', 'true', 'on', 'y', 'yes'))
FALSE_STRINGS = frozenset(('0', 'f', 'false', 'off', 'n', 'no'))
# Distinct timestamps kept formatted (a 20,000-amphora fleet has about
# three per amphora).
CACHED_TIMESTAMPS = 1 << 16
_cached = functools.lru_cache(maxsize=CACHED_TIMESTAMPS)


def _utc(timestamp):
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)


@_cached
def iso_seconds(timestamp):
    """Octavia's form: ``2024-05-01T10:20:30`` (no zone, no fraction)."""
    if timestamp is None:
        return None
    return _utc(timestamp).strftime('%Y-%m-%dT%H:%M:%S')


@_cached
def iso_z(timestamp):
    """Nova's and Glance's form: ``2024-05-01T10:20:30Z``."""
    if timestamp is None:
        return None
    return _utc(timestamp).strftime('%Y-%m-%dT%H:%M:%SZ')


@_cached
def iso_micro(timestamp):
    """Nova's service and launch times: ``2024-05-01T10:20:30.000000``."""
    if timestamp is None:
        return None
    return _utc(timestamp).strftime('%Y-%m-%dT%H:%M:%S.%f')


def iso_micro_z(timestamp):
    """Keystone's form: ``2024-05-01T10:20:30.000000Z``."""
    return iso_micro(timestamp) + 'Z'


def parse_iso(text):
    """Epoch seconds from an ISO 8601 string; naive times are UTC.

    :raises ValueError: when ``text`` is not a timestamp.
    """
    value = datetime.datetime.fromisoformat(
        text.strip().replace('Z', '+00:00'))
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.timestamp()


def parse_bool(text):
    """Parse a query-string boolean the way oslo's bool_from_string does.

    :raises ValueError: when ``text`` is not a boolean.
    """
    lowered = str(text).strip().lower()
    if lowered in TRUE_STRINGS:
        return True
    if lowered in FALSE_STRINGS:
        return False
    raise ValueError(text)
