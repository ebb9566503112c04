"""Plain dicts from openstacksdk resources.

Why: what the facade returns is saved in TaskFlow persistence and compared
across conductor restarts, so it must be JSON-able data with stable keys,
never an SDK object (which holds a live session). Each resource module
declares its record as a tuple of keys; a key whose SDK attribute has a
different name is given as ``(key, attribute)``.
"""

import copy
import urllib.parse

from openstack import exceptions as sdk_exc

from octavia_maint.cloud import sdk_private


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


def octavia_json(proxy, url, params=None):
    """The JSON body of a GET through the SDK's proxy (its endpoint and
    session), a failed answer raised as the SDK's own error (a 404 as
    ``NotFoundException``)."""
    response = proxy.get(url, params=params)
    sdk_exc.raise_from_response(response)
    return response.json()


def octavia_item(proxy, resource_type, key, resource_id, fields):
    """One Octavia resource as a record, from the raw JSON.

    What a failover polls every few seconds: building the SDK resource
    (every attribute, each through descriptors and type checks) cost a
    conductor more CPU than the HTTP call itself (profiled, issue 13).
    """
    item = octavia_json(proxy, '%s/%s' % (resource_type.base_path,
                                          resource_id))[key]
    return {f: item.get(f) for f in fields}


def octavia_listing(proxy, resource_type, key, filters, fields):
    """Every page of an Octavia listing as records, from the raw JSON.

    Planning reads the whole fleet; building an SDK resource per item
    took 7 s for 10,000 load balancers, the JSON itself a tenth of that.
    The SDK still names the query (its filter mapping) and raises its own
    errors. Octavia pages with ``limit``/``marker`` and a ``<key>_links``
    entry of ``rel: next`` holding the URL of the next page; as the SDK
    does, the filters are sent again with every page. Only ``fields`` are
    asked for (Octavia's ``fields=a&fields=b``): a load balancer's whole
    record is three times the size, and a 10,000-load-balancer plan
    spent most of its time reading it (issue 13).
    """
    url = resource_type.base_path
    query = dict(sdk_private.query_parameters(resource_type, filters),
                 fields=list(fields))
    params = query
    found = []
    while url:
        body = octavia_json(proxy, url, params=params)
        found.extend({f: item.get(f) for f in fields} for item in body[key])
        following = [link['href'] for link in body.get(key + '_links', [])
                     if link.get('rel') == 'next']
        if not following:
            break
        parts = urllib.parse.urlsplit(following[0])
        url = urllib.parse.urlunsplit(parts._replace(query=''))
        # The link repeats ``fields``, which a dict would cut to one.
        params = dict(query, **{
            name: value for name, value in urllib.parse.parse_qsl(parts.query)
            if name != 'fields'})
    return found
