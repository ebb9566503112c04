"""Is this file an amphora image? Checked before anything is uploaded.

An empty or text file uploaded with ``--image-file`` would be tagged and
become what Octavia boots for every new amphora in the cloud: the fleet
would be failed over onto a disk that cannot boot. So the file is checked
on the posting side, before the job exists: a qcow2 file must carry a
well-formed qcow2 header (magic, version 2 or 3, a sane cluster size and a
virtual disk size); a raw file has no header to recognise, so it is only
accepted when the operator says so explicitly, and must be a whole number
of 512-byte sectors of a plausible size.
"""

import hashlib
import os
import struct

from octavia_maint.common import exceptions

QCOW2 = 'qcow2'
RAW = 'raw'
DISK_FORMATS = (QCOW2, RAW)

QCOW2_MAGIC = b'QFI\xfb'
# The version 2 header: magic, version, backing file offset and size,
# cluster bits, virtual size (the first fields of every qcow2 file).
_QCOW2_HEADER = struct.Struct('>4sIQIIQ')
QCOW2_VERSIONS = (2, 3)
# qemu accepts clusters of 512 bytes to 2 MiB.
QCOW2_CLUSTER_BITS = range(9, 22)
SECTOR = 512
# No raw amphora disk is smaller than this (a real one is gigabytes).
MIN_RAW_BYTES = 1024 * 1024


def qcow2_header(virtual_size, version=3, cluster_bits=16):
    """The first bytes of a qcow2 file of ``virtual_size`` bytes.

    Enough for :func:`check` (the demo writes a stand-in image with it).
    """
    return _QCOW2_HEADER.pack(QCOW2_MAGIC, version, 0, 0, cluster_bits,
                              virtual_size)


def digest(path, algorithm):
    """The hex digest of the file with hashlib's ``algorithm`` (Glance's
    ``os_hash_algo``, sha512 by default; md5 for its legacy ``checksum``),
    read in 1 MiB blocks so a multi-gigabyte image costs no memory."""
    hasher = hashlib.new(algorithm)
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1024 * 1024), b''):
            hasher.update(block)
    return hasher.hexdigest()


def check(path, disk_format=QCOW2, allow_raw=False):
    """Refuse a file that is not an image of ``disk_format``.

    :raises InvalidInput: unreadable, empty, not qcow2 (bad header), or a
        raw file without ``allow_raw`` or of an implausible size.
    """
    try:
        with open(path, 'rb') as f:
            head = f.read(_QCOW2_HEADER.size)
            size = os.fstat(f.fileno()).st_size
    except OSError as e:
        raise exceptions.InvalidInput(
            reason='cannot read image file %s: %s' % (path, e.strerror))
    if not size:
        raise exceptions.InvalidInput(
            reason='image file %s is empty' % path)
    if disk_format == QCOW2:
        _check_qcow2(path, head)
    elif disk_format == RAW:
        _check_raw(path, head, size, allow_raw)
    else:
        raise exceptions.InvalidInput(
            reason='disk format %r is not one of %s'
            % (disk_format, ', '.join(DISK_FORMATS)))


def _check_qcow2(path, head):
    if len(head) < _QCOW2_HEADER.size or not head.startswith(QCOW2_MAGIC):
        raise exceptions.InvalidInput(
            reason='image file %s is not a qcow2 image (no qcow2 header); '
                   'for a raw disk give --disk-format raw --allow-raw' % path)
    _, version, _, _, cluster_bits, virtual_size = _QCOW2_HEADER.unpack(head)
    if version not in QCOW2_VERSIONS:
        raise exceptions.InvalidInput(
            reason='image file %s has qcow2 version %d; only versions %s '
                   'exist' % (path, version,
                              ' and '.join(map(str, QCOW2_VERSIONS))))
    if cluster_bits not in QCOW2_CLUSTER_BITS or not virtual_size:
        raise exceptions.InvalidInput(
            reason='image file %s has a damaged qcow2 header (cluster bits '
                   '%d, virtual size %d)' % (path, cluster_bits, virtual_size))


def _check_raw(path, head, size, allow_raw):
    if head.startswith(QCOW2_MAGIC):
        raise exceptions.InvalidInput(
            reason='image file %s is a qcow2 image, not raw; drop '
                   '--disk-format raw' % path)
    if not allow_raw:
        raise exceptions.InvalidInput(
            reason='a raw image cannot be recognised by its content; add '
                   '--allow-raw to upload %s as a raw disk' % path)
    if size < MIN_RAW_BYTES or size % SECTOR:
        raise exceptions.InvalidInput(
            reason='image file %s (%d bytes) is not a plausible raw disk: '
                   'at least %d bytes, a multiple of %d'
                   % (path, size, MIN_RAW_BYTES, SECTOR))
