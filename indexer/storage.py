"""Where an index lives on disk, and how a new one replaces the old atomically.

An index directory holds generations and a ``current`` symlink::

    index/
      current -> gen-20261128T140102-4242
      gen-20261128T140102-4242/   (Whoosh files + manifest.json)

A build writes a whole new generation beside the current one, then swaps
the symlink with ``os.replace`` (atomic on POSIX). Searchers that resolved
the old generation keep reading it; an interrupted build leaves only a
partial generation that nobody points to, and the next build removes it.
An incremental update starts its generation as a hard-linked clone of the
current one (Whoosh never rewrites a segment file: deletions live in the
table of contents), so it costs no copy and still never touches the
generation searchers read.

Writers take ``index/lock`` (``flock``) for their whole run: a second
writer fails at once with a French message instead of racing, and the
kernel releases the lock when a writer dies, even by ``kill -9``.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from indexer.errors import IndexLockedError

CURRENT = "current"
MANIFEST = "manifest.json"
GENERATION_PREFIX = "gen-"
LOCK = "lock"


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


def clone_generation(index_dir: Path, source: Path) -> Path:
    """A new generation holding hard links to ``source``'s index files."""
    generation = new_generation(index_dir)
    for path in source.iterdir():
        if path.is_file() and path.name != MANIFEST and not path.name.endswith("WRITELOCK"):
            try:
                os.link(path, generation / path.name)
            except OSError:  # a file system without hard links: copy instead
                shutil.copy2(path, generation / path.name)
    return generation


@contextmanager
def index_lock(index_dir: Path) -> Iterator[None]:
    """Hold the writers' lock of ``index_dir``, or raise IndexLockedError at once."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexLockedError(
                f"index verrouillé : une autre indexation est en cours dans {index_dir} "
                f"(verrou {index_dir / LOCK}) ; réessayez quand elle sera terminée"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
