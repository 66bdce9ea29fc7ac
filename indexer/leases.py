"""Readers' leases on a generation: it stays on disk while anyone still reads it.

Pushed documents make a new generation about once a second, and each
server worker moves to it at its next request; a generation that stopped
being current may still be read by a worker in the middle of a search, or
by a ``Searcher`` a program keeps open. A reader holds a shared ``flock``
on the generation's directory for as long as it reads it (``Lease``); the
writer that replaces generations removes only those it can lock
exclusively (``remove_unread``), and tries the others again at its next
switch. The kernel drops the lease of a reader that dies, even by ``kill -9``.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

from indexer.errors import IndexDamagedError
from indexer.storage import MANIFEST, find_current, open_generation


class Lease:
    """A shared lock on ``generation`` until ``release`` (or the process's end)."""

    def __init__(self, generation: Path):
        self.generation = generation
        self._fd: int | None = os.open(generation, os.O_RDONLY | os.O_DIRECTORY)
        fcntl.flock(self._fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def remove_unread(generation: Path) -> bool:
    """Remove ``generation`` unless a reader holds a lease on it; True when removed."""
    try:
        fd = os.open(generation, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return False
    try:
        shutil.rmtree(generation, ignore_errors=True)
    finally:
        os.close(fd)
    return True


def open_leased(index_dir: Path, damage: type[Exception] = IndexDamagedError) -> tuple | None:
    """``(lease, generation, index, manifest)`` of the current generation, leased before it is read
    and checked (``indexer.storage.open_generation``, a damaged block read later raised as ``damage``);
    None without index.

    A writer may remove the generation between the reading of ``current``
    and the lease (it had already moved on twice): the link is read again.
    """
    while True:
        generation = find_current(index_dir)
        if generation is None:
            return None
        try:
            lease = Lease(generation)
        except FileNotFoundError:
            continue
        if not (generation / MANIFEST).exists():  # removed while the lease waited for the writer
            lease.release()
            continue
        try:
            return (lease, generation, *open_generation(generation, damage=damage))
        except BaseException:
            lease.release()
            raise
