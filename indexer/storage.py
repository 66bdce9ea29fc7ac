"""Where an index lives on disk, and how a new one replaces the old atomically.

An index directory holds generations and a ``current`` symlink::

    index/
      current -> gen-20261128T140102-4242
      gen-20261128T140102-4242/   (Whoosh files + manifest.json)

A build writes a whole new generation beside the current one, then swaps
the symlink with ``os.replace`` (atomic on POSIX). Searchers that resolved
the old generation keep reading it; an interrupted build leaves only a
partial generation that nobody points to, and the next build removes it.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

CURRENT = "current"
MANIFEST = "manifest.json"
GENERATION_PREFIX = "gen-"


def current_generation(index_dir: Path) -> Path | None:
    """The generation searchers should open, or None when there is none yet."""
    link = index_dir / CURRENT
    if not link.is_symlink():
        return None
    target = index_dir / os.readlink(link)
    return target if (target / MANIFEST).is_file() else None


def new_generation(index_dir: Path) -> Path:
    """Create an empty generation directory for a build."""
    index_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = index_dir / f"{GENERATION_PREFIX}{stamp}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    path.mkdir()
    return path


def switch_to(index_dir: Path, generation: Path) -> None:
    """Atomically point ``current`` at ``generation`` and drop stale generations.

    The generation that was current just before is kept, so a searcher that
    opened it a moment ago can finish; older ones and unfinished builds go.
    """
    previous = current_generation(index_dir)
    tmp_link = index_dir / f".{CURRENT}.{os.getpid()}"
    if tmp_link.is_symlink():
        tmp_link.unlink()
    tmp_link.symlink_to(generation.name)
    os.replace(tmp_link, index_dir / CURRENT)
    keep = {generation.name, previous.name if previous else None}
    for path in index_dir.glob(f"{GENERATION_PREFIX}*"):
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


def write_manifest(generation: Path, manifest: dict) -> None:
    """Write the manifest last: its presence marks a generation as complete."""
    tmp = generation / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, generation / MANIFEST)


def read_manifest(generation: Path) -> dict:
    return json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
