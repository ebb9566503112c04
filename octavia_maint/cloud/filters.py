"""Refuse listing filters that openstacksdk would drop without a word.

openstacksdk 4.x sends only the filters in a resource's query mapping; any
other keyword is silently discarded (or, for a field of the resource,
applied client-side to each page). So ``list_amphorae(colour='red')`` would
return *every* amphora, and a campaign would act on the whole fleet. Octavia
itself answers 400 to an unknown filter; this gives the same answer before
anything is sent (``InvalidResourceQuery``, translated to ``BadRequest``).
"""

from octavia_maint.cloud import sdk_private


def require_known(resource_type, filters):
    """Raise ``InvalidResourceQuery`` unless the SDK sends every filter."""
    sdk_private.refuse_unknown_filters(resource_type, filters)
