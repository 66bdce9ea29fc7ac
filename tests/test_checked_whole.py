"""A writer reads whole only the files of a generation it has not already read whole unchanged.

The server's committer builds a generation about once a second on the
previous one (hard links to the same files): ``indexer.storage`` reads
again only new or changed files, and damage made after a check is still
found by the next writer.
"""

from __future__ import annotations

import os
import time

import pytest

from indexer.checksums import Checksums
from indexer.errors import IndexDamagedError
from indexer.storage import current_generation, open_current

from push_support import index_dir  # noqa: F401  (a fixture)


@pytest.fixture
def read_whole(monkeypatch):
    """The names of the files each whole check reads, one list per check."""
    calls: list[list[str]] = []
    original = Checksums.damaged_chunks

    def recording(self, generation, names):
        calls.append(sorted(names))
        return original(self, generation, names)

    monkeypatch.setattr(Checksums, "damaged_chunks", recording)
    return calls


def _date(index_dir, seconds_ago: float) -> None:
    """Date the generation's files ``seconds_ago`` (60: written long before the check; 0: just written)."""
    when = time.time() - seconds_ago
    for path in current_generation(index_dir).iterdir():
        os.utime(path, (when, when))


def test_settled_files_are_read_whole_once_then_trusted(index_dir, read_whole):
    _date(index_dir, 60)
    open_current(index_dir, whole=True)
    open_current(index_dir, whole=True)
    assert read_whole[0] and read_whole[1] == []


def test_a_file_just_written_is_read_whole_each_time(index_dir, read_whole):
    _date(index_dir, 0)
    open_current(index_dir, whole=True)
    open_current(index_dir, whole=True)
    assert read_whole[0] and read_whole[1] == read_whole[0]


def test_damage_after_a_check_is_found_by_the_next_writer(index_dir, read_whole):
    _date(index_dir, 60)
    open_current(index_dir, whole=True)
    postings = max(current_generation(index_dir).glob("*.pst"), key=lambda p: p.stat().st_size)
    data = bytearray(postings.read_bytes())
    data[len(data) // 2] ^= 0xFF          # same size, same inode
    postings.write_bytes(bytes(data))
    with pytest.raises(IndexDamagedError, match="bloc endommagé"):
        open_current(index_dir, whole=True)
