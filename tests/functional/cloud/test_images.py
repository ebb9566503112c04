"""Image calls of the facade, through openstacksdk, over HTTP."""

import json

import pytest

from octavia_maint.cloud import images
from octavia_maint.common import exceptions

MISSING = '00000000-0000-4000-8000-000000000000'
TAG = 'amphora'


@pytest.fixture
def image_file(tmp_path):
    path = tmp_path / 'amphora-x64-haproxy.qcow2'
    path.write_bytes(b'QFI\xfb' + bytes(4092))
    return str(path)


def uploads(sim):
    return [entry for entry in sim.audit()
            if entry['method'] == 'POST' and entry['path'].endswith(
                '/images')]


def test_seeded_image_is_the_newest(sim, cloud):
    seeded = cloud.find_newest_image(TAG)
    assert seeded['status'] == 'active'
    assert TAG in seeded['tags']
    assert list(seeded) == [f[0] if isinstance(f, tuple) else f
                            for f in images.FIELDS]
    assert cloud.find_newest_image('no-such-tag') is None


def test_create_find_tag_and_delete(sim, cloud, image_file):
    seeded = cloud.find_newest_image(TAG)
    image = cloud.create_image('amphora-new', image_file, [TAG])
    assert image['status'] == 'active'
    assert image['tags'] == [TAG]
    assert image['size'] == 4096
    assert json.loads(json.dumps(image)) == image
    assert cloud.get_image(image['id']) == image
    assert cloud.find_newest_image(TAG)['id'] == image['id']
    # The owner filter keeps to Octavia's [controller_worker]
    # amp_image_owner_id: the service project's seeded image.
    assert cloud.find_newest_image(TAG, owner=seeded['owner'])['id'] == (
        seeded['id'])

    assert cloud.add_image_tag(image['id'], 'candidate') is None
    assert cloud.add_image_tag(image['id'], 'candidate') is None
    assert sorted(cloud.get_image(image['id'])['tags']) == [
        TAG, 'candidate']
    assert cloud.remove_image_tag(image['id'], TAG) is None
    assert cloud.get_image(image['id'])['tags'] == ['candidate']
    assert cloud.find_newest_image(TAG)['id'] == seeded['id']

    assert cloud.delete_image(image['id']) is None
    with pytest.raises(exceptions.NotFound) as info:
        cloud.get_image(image['id'])
    assert info.value.kwargs == {'resource': 'Image', 'id': image['id']}
    with pytest.raises(exceptions.NotFound):
        cloud.delete_image(image['id'])


def test_duplicate_names_are_allowed(sim, cloud, image_file):
    first = cloud.create_image('amphora-dup', image_file, [TAG])
    second = cloud.create_image('amphora-dup', image_file, [TAG])
    assert first['id'] != second['id']
    assert len(uploads(sim)) == 2


def test_create_without_waiting(sim, cloud, image_file):
    image = cloud.create_image('amphora-nowait', image_file, [TAG],
                               wait=False)
    assert image['id']


def test_unreadable_file(sim, cloud, tmp_path):
    with pytest.raises(exceptions.InvalidInput):
        cloud.create_image('x', str(tmp_path / 'missing.qcow2'), [TAG])
    assert uploads(sim) == []


def test_missing_image(sim, cloud):
    for call in (cloud.get_image, cloud.delete_image):
        with pytest.raises(exceptions.NotFound):
            call(MISSING)
    with pytest.raises(exceptions.NotFound):
        cloud.add_image_tag(MISSING, 'x')


def test_list_images_by_tag_whatever_their_status(sim, cloud, image_file):
    done = cloud.create_image('amphora-listed', image_file, [TAG, 'job-x'])
    cloud.create_image('amphora-other', image_file, [TAG])
    assert [i['id'] for i in cloud.list_images('job-x')] == [done['id']]
    assert cloud.list_images('no-such-tag') == []
