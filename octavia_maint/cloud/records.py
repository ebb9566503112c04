"""Plain dicts from openstacksdk resources.

Why: what the facade returns is saved in TaskFlow persistence and compared
across conductor restarts, so it must be JSON-able data with stable keys,
never an SDK object (which holds a live session). Each resource module
declares its record as a tuple of keys; a key whose SDK attribute has a
different name is given as ``(key, attribute)``.
"""

import copy


def to_record(sdk_resource, fields):
    """Return ``{key: value}`` for the declared fields of an SDK resource."""
    record = {}
    for field in fields:
        key, attribute = field if isinstance(field, tuple) else (field, field)
        record[key] = copy.deepcopy(getattr(sdk_resource, attribute))
    return record


def to_records(sdk_resources, fields):
    """Return a list of records; consumes a lazy SDK listing (all pages)."""
    return [to_record(item, fields) for item in sdk_resources]
