"""Every private openstacksdk name octavia-maint touches, in one place.

A resource's query mapping (which filters it sends, under which query
names) is public knowledge of the SDK only through ``Resource.list``,
which builds one SDK object per item (7 s for 10,000 load balancers, see
``records.octavia_listing``) and drops an unknown filter without a word
(see ``filters``). The mapping itself, ``Resource._query_mapping``, and
its two methods are private: these functions are the only callers.

Checked against openstacksdk ``CHECKED_AGAINST`` (pinned in
constraints.txt). tests/unit/test_private_overrides.py fails, naming the
attribute, when one of ``PRIVATE_METHODS`` or ``PRIVATE_ATTRIBUTES``
disappears or its parameters change.
"""

from openstack import resource

CHECKED_AGAINST = '4.22.0'

# (owner, name, parameters with their defaults) of every private callable
# used here.
PRIVATE_METHODS = (
    (resource.QueryParameters, '_transpose',
     ('self', 'query', 'resource_type')),
    (resource.QueryParameters, '_validate',
     ('self', 'query', 'base_path=None', 'allow_unknown_params=False')),
)

# (owner, name) of every private data attribute read here.
PRIVATE_ATTRIBUTES = (
    (resource.Resource, '_query_mapping'),
)


def query_parameters(resource_type, filters):
    """The query string ``resource_type.list(**filters)`` would send.

    No public call maps filters to query names without listing.
    """
    return resource_type._query_mapping._transpose(filters, resource_type)


def refuse_unknown_filters(resource_type, filters):
    """Raise ``InvalidResourceQuery`` unless the SDK sends every filter.

    The SDK's own check, which ``list`` runs only in a permissive mode
    (``allow_unknown_params`` is not passed through by the proxies).
    """
    resource_type._query_mapping._validate(
        filters, base_path=resource_type.base_path,
        allow_unknown_params=False)
