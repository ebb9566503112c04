"""UploadImage: run again after a crash, and revert only this job's work."""

import pytest

from octavia_maint.runtime import context
from octavia_maint.tasks import image_tasks
from tests.unit.tasks import fakes

JOB = 'job-1'
MARKER = image_tasks.job_tag(JOB)


@pytest.fixture
def cloud():
    fake = fakes.FakeCloudWithImages()
    with context.activate(context.JobContext(job_id=JOB, cloud=fake)):
        yield fake


def upload():
    return image_tasks.UploadImage().execute(JOB, '/tmp/amp.qcow2',
                                             'amphora', 'amphora', 'qcow2')


def test_a_rerun_finds_the_finished_upload(cloud):
    first = upload()
    assert upload() == first
    assert cloud.uploads == 1
    assert sorted(first['tags']) == sorted(['amphora', MARKER])


def test_a_rerun_deletes_the_interrupted_upload(cloud):
    stuck = cloud.add_image('saving', ['amphora', MARKER])
    image = upload()
    assert stuck['id'] not in cloud.images
    assert list(cloud.images) == [image['id']]


def test_revert_deletes_an_unused_image(cloud):
    image = upload()
    image_tasks.UploadImage().revert(image, JOB, image_tag='amphora')
    assert cloud.images == {}


def test_revert_keeps_an_image_in_use_and_untags_it(cloud):
    image = upload()
    cloud.add_lb('lb-1', image_id=image['id'])
    image_tasks.UploadImage().revert(image, JOB, image_tag='amphora')
    assert cloud.images[image['id']]['tags'] == [MARKER]


def test_revert_leaves_other_images_alone(cloud):
    other = cloud.add_image('active', ['amphora'])
    image_tasks.UploadImage().revert(upload(), JOB, image_tag='amphora')
    assert list(cloud.images) == [other['id']]


def test_the_file_octavia_already_boots_is_reused_not_uploaded(cloud):
    theirs = cloud.add_image('active', ['amphora'])
    theirs['file'] = '/tmp/amp.qcow2'
    assert upload()['id'] == theirs['id']
    assert cloud.uploads == 0


def test_an_older_image_with_the_content_is_not_what_octavia_boots(cloud):
    old = cloud.add_image('active', ['amphora'], created_at='2026-01-01')
    old['file'] = '/tmp/amp.qcow2'
    cloud.add_image('active', ['amphora'], created_at='2026-02-01')
    assert upload()['id'] != old['id']
    assert cloud.uploads == 1


def test_revert_leaves_a_reused_image_alone(cloud):
    theirs = cloud.add_image('active', ['amphora'])
    theirs['file'] = '/tmp/amp.qcow2'
    image_tasks.UploadImage().revert(upload(), JOB, image_tag='amphora')
    assert cloud.images[theirs['id']]['tags'] == ['amphora']
