"""The shared paginator, without a server: limits, sort, markers, links.

Table-driven over the three services' rules, so a change to one
service's data shows which wire behaviour it moves.
"""

import dataclasses

import pytest
from werkzeug import datastructures

from octavia_maint.simulator.compute import models as compute_models
from octavia_maint.simulator.core import listing
from octavia_maint.simulator.image import models as image_models
from octavia_maint.simulator.octavia import exceptions as octavia_errors
from octavia_maint.simulator.octavia import pagination


@dataclasses.dataclass
class Item:
    id: str
    name: str
    created_at: float


ITEMS = [Item('a', 'x', 3.0), Item('b', 'y', 1.0), Item('c', None, 2.0),
         Item('d', 'x', 1.0)]
GETTERS = {field: (lambda item, f=field: getattr(item, f))
           for field in ('id', 'name', 'created_at')}
OCTAVIA = pagination.paginator(GETTERS)


def _args(query):
    return datastructures.MultiDict(
        [tuple(part.split('=', 1)) for part in query.split('&') if part])


def _ids(paginator, query, max_limit=None):
    request = paginator.request(_args(query), max_limit=max_limit)
    return [item.id for item in request.page(ITEMS, GETTERS)]


@pytest.mark.parametrize('query, ids', [
    ('', ['b', 'd', 'c', 'a']),                 # created_at, id ascending
    ('sort=name:desc', ['b', 'd', 'a', 'c']),   # None sorts first, so last
    ('sort=name:DESC,id:desc', ['b', 'd', 'a', 'c']),
    ('sort_key=name,id&sort_dir=asc,desc', ['c', 'd', 'a', 'b']),
    ('limit=2', ['b', 'd']),
    ('limit=0', ['b', 'd', 'c', 'a']),          # below one: no limit
    ('limit=2&marker=d', ['c', 'a']),
    ('limit=1&marker=c&page_reverse=True', ['d']),
])
def test_octavia_pages(query, ids):
    assert _ids(OCTAVIA, query) == ids


def test_octavia_caps_the_limit_at_its_setting():
    assert _ids(OCTAVIA, 'limit=100', max_limit=3) == ['b', 'd', 'c']


@pytest.mark.parametrize('query, error', [
    ('limit=x', octavia_errors.InvalidLimit),
    ('sort=colour:asc', octavia_errors.InvalidSortKey),
    ('sort=id:', octavia_errors.InvalidSortDirection),
    ('sort=id:asc:x', octavia_errors.InvalidSortKey),
    ('marker=nope', octavia_errors.InvalidMarker),
])
def test_octavia_errors(query, error):
    with pytest.raises(error):
        _ids(OCTAVIA, query)


@pytest.mark.parametrize('paginator, query, reason', [
    (compute_models.SERVERS, 'limit=-1', 'limit param must be positive'),
    (compute_models.SERVERS, 'limit=q', 'limit param must be an integer'),
    (compute_models.SERVERS, 'sort_key=colour', 'Invalid sort_key: colour'),
    (compute_models.SERVERS, 'sort_dir=up', 'Invalid sort_dir: up'),
    (image_models.IMAGES, 'sort=name:up', 'Invalid sort direction: up'),
    (image_models.IMAGES, 'limit=-3', 'limit param must be positive'),
])
def test_nova_and_glance_errors(paginator, query, reason):
    with pytest.raises(Exception) as raised:
        paginator.request(_args(query))
    assert raised.value.code == 400
    assert raised.value.msg.startswith(reason)


def test_nova_and_glance_defaults():
    nova = compute_models.SERVERS.request(_args(''))
    glance = image_models.IMAGES.request(_args('sort_key=name'))
    assert (nova.limit, nova.sort) == (1000, (('created_at', True),
                                              ('uuid', True)))
    assert glance.limit == 25
    assert glance.sort == (('name', True), ('created_at', True),
                           ('id', True))
    assert not compute_models.SERVERS.request(
        _args('page_reverse=True')).reverse


def test_next_query_keeps_the_parameters_and_moves_the_marker():
    args = _args('tag=a&limit=2&marker=b&tag=c')
    request = listing.PageRequest(limit=2)
    page = ITEMS[:2]

    assert request.next_query(args, page) == 'tag=a&tag=c&limit=2&marker=b'
    assert request.next_query(args, ITEMS[:1]) is None
    assert request.next_query(args, []) is None
