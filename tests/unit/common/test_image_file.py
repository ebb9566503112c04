"""The image file check: what may become the amphora image of a cloud."""

import pytest

from octavia_maint.common import exceptions
from octavia_maint.common import image_file

GIB = 1024 ** 3
QCOW2 = image_file.qcow2_header(2 * GIB)


@pytest.mark.parametrize('content, disk_format, allow_raw', [
    (QCOW2, 'qcow2', False),
    (QCOW2 + bytes(4096), 'qcow2', False),
    (image_file.qcow2_header(GIB, version=2, cluster_bits=9), 'qcow2',
     False),
    (bytes(1024 * 1024), 'raw', True),
])
def test_images_are_accepted(tmp_path, content, disk_format, allow_raw):
    path = tmp_path / 'image'
    path.write_bytes(content)
    image_file.check(str(path), disk_format, allow_raw)


@pytest.mark.parametrize('content, disk_format, allow_raw, message', [
    (b'', 'qcow2', False, 'is empty'),
    (b'hello world\n', 'qcow2', False, 'not a qcow2 image'),
    (QCOW2[:20], 'qcow2', False, 'not a qcow2 image'),
    (b'QFI\xfb' + bytes(100), 'qcow2', False, 'qcow2 version 0'),
    (image_file.qcow2_header(GIB, version=4), 'qcow2', False,
     'qcow2 version 4'),
    (image_file.qcow2_header(0), 'qcow2', False, 'damaged qcow2 header'),
    (image_file.qcow2_header(GIB, cluster_bits=30), 'qcow2', False,
     'damaged qcow2 header'),
    (bytes(1024 * 1024), 'raw', False, 'add --allow-raw'),
    (QCOW2, 'raw', True, 'is a qcow2 image, not raw'),
    (bytes(4096), 'raw', True, 'not a plausible raw disk'),
    (bytes(1024 * 1024 + 1), 'raw', True, 'not a plausible raw disk'),
    (QCOW2, 'iso', False, "disk format 'iso'"),
])
def test_non_images_are_refused(tmp_path, content, disk_format, allow_raw,
                                message):
    path = tmp_path / 'image'
    path.write_bytes(content)
    with pytest.raises(exceptions.InvalidInput, match=message):
        image_file.check(str(path), disk_format, allow_raw)


def test_an_unreadable_path_is_refused(tmp_path):
    with pytest.raises(exceptions.InvalidInput, match='cannot read image'):
        image_file.check(str(tmp_path))
