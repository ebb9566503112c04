"""Glance v2 through the real openstacksdk."""

import hashlib

import openstack.exceptions
import pytest
import requests

from tests.functional.simulator import helpers


def _create(conn, name, tags=('amphora',), **properties):
    image = conn.image.create_image(
        name, data=name.encode(), tags=list(tags), disk_format='qcow2',
        container_format='bare', allow_duplicates=True, **properties)
    return conn.image.get_image(image.id)


def test_create_image_uploads_and_activates(sim, conn):
    image = _create(conn, 'amphora-2025', os_distro='ubuntu')

    assert image.status == 'active'
    assert image.checksum == hashlib.md5(b'amphora-2025').hexdigest()
    assert image.size == len(b'amphora-2025')
    assert image.tags == ['amphora']
    assert image.os_distro == 'ubuntu'
    assert 'owner_specified.openstack.object' in image.properties


def test_list_by_tag_newest_first_and_paged(sim, conn):
    names = ['amp-%d' % n for n in range(3)]
    for name in names:
        _create(conn, name)
    _create(conn, 'not-an-amphora', tags=())

    tagged = [i.name for i in conn.image.images(
        tag='amphora', sort='created_at:desc')]
    paged = [i.name for i in conn.image.images(
        tag='amphora', limit=1, sort_key='created_at', sort_dir='desc')]
    active = {i.name for i in conn.image.images(status='active')}

    assert tagged == names[::-1] + ['amphora-x64-haproxy-old']
    assert paged == tagged
    assert {'not-an-amphora', 'cirros-0.6.2-x86_64-disk'} <= active
    raw = helpers.call(sim, 'GET', '/image/v2/images?tag=amphora&limit=2')
    assert raw.json()['next'].startswith('/v2/images?')


def test_tags_patch_and_delete(sim, conn):
    image = _create(conn, 'amp-patch', tags=())

    conn.image.add_tag(image, 'amphora')
    # Glance accepts only top-level JSON pointers: update a fresh copy.
    image = conn.image.get_image(image.id)
    conn.image.update_image(image, build_id='2025.1', name='amp-renamed')
    patched = conn.image.get_image(image.id)
    conn.image.remove_tag(patched, 'amphora')
    untagged = conn.image.get_image(image.id)
    conn.image.delete_image(image.id)

    assert patched.name == 'amp-renamed'
    assert patched.properties['build_id'] == '2025.1'
    assert untagged.tags == []
    with pytest.raises(openstack.exceptions.NotFoundException,
                       match='No image found with ID'):
        conn.image.get_image(image.id)


def test_json_patch_remove_and_read_only_attributes(sim, conn):
    image = _create(conn, 'amp-json', tags=(), color='blue')
    patch = {'Content-Type':
             'application/openstack-images-v2.1-json-patch'}

    removed = helpers.call(sim, 'PATCH', '/image/v2/images/%s' % image.id,
                           headers=dict(patch), json=[
                               {'op': 'remove', 'path': '/color'}])
    read_only = helpers.call(sim, 'PATCH', '/image/v2/images/%s' % image.id,
                             headers=dict(patch), json=[
                                 {'op': 'replace', 'path': '/status',
                                  'value': 'active'}])

    assert removed.status_code == 200 and 'color' not in removed.json()
    assert read_only.status_code == 403
    assert read_only.headers['Content-Type'].startswith('text/html')
    assert "Attribute 'status' is read-only." in read_only.text


def test_version_discovery_answers_at_the_root(sim):
    response = requests.get(sim.url + '/image', timeout=10)

    assert response.status_code == 300
    assert response.json()['versions'][0]['status'] == 'CURRENT'
