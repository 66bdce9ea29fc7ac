"""The disk an index lives on, said in French: where it is mounted, how much room is left.

A full disk is reported with the file system that is full and what it
holds free once the failed run has removed its files, so that a person
knows which disk to clear.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def disk_of(index_dir: Path) -> str:
    """``monté sur /srv (12,5 Mio libres)``: the file system holding ``index_dir`` and its free space,
    measured after the failed run removed what it had written."""
    path = index_dir.resolve()
    while not path.exists():
        path = path.parent
    mount = path
    while not os.path.ismount(mount):
        mount = mount.parent
    return f"monté sur {mount} ({french_size(shutil.disk_usage(path).free)} libres)"


def french_size(count: int) -> str:
    """``0 octet``, ``512 octets``, ``12,5 Mio``: a size in bytes, in French.

    >>> french_size(0), french_size(3 * 1024 * 1024 // 2)
    ('0 octet', '1,5 Mio')
    """
    if count < 1024:
        return f"{count} octet" + ("s" if count > 1 else "")
    for unit in ("Kio", "Mio", "Gio", "Tio"):
        count /= 1024
        if count < 1024 or unit == "Tio":
            return f"{count:.1f}".replace(".", ",") + f" {unit}"
