"""A full disk for the processes of a test: on ``PYTHONPATH``, Python imports this module at start.

Every file Whoosh creates in this process counts against one budget of
``RTES_TEST_DISK_BYTES`` bytes; the write that passes it fails with
``ENOSPC``, as on a full disk. What was written before stays on disk, so a
test sees whether a failed run removes it. Used by ``tests/test_storage.py``
for the indexing command and the two processes it starts; without that
variable (pytest importing it for its doctests) it changes nothing.
"""

import errno
import os

from whoosh.filedb import filestore

_left = [int(os.environ.get("RTES_TEST_DISK_BYTES", -1))]
_create_file = filestore.FileStorage.create_file


class _OnAFullDisk:
    """A file whose writes fail with ``ENOSPC`` once the budget is spent."""

    def __init__(self, file):
        self._file = file

    def write(self, data):
        _left[0] -= len(data)
        if _left[0] < 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self._file.write(data)

    def __getattr__(self, name):
        return getattr(self._file, name)


def _create_on_a_full_disk(self, name, **kwargs):
    created = _create_file(self, name, **kwargs)
    created.file = _OnAFullDisk(created.file)
    return created


if _left[0] >= 0:
    filestore.FileStorage.create_file = _create_on_a_full_disk
