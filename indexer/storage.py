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

Readers open a generation through ``open_current``/``open_generation``
only: the manifest lists every file with its size, so a truncated file, a
garbled table of contents or manifest, or a missing ``current`` link is an
``IndexDamagedError`` in French naming the command that rebuilds the index,
never a Whoosh or JSON traceback.
"""

from __future__ import annotations

import fcntl
import json
import os
import shlex
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from whoosh import index as whoosh_index

from indexer.errors import IndexDamagedError, IndexLockedError

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
    opened it a moment ago can finish; older ones and unfinished builds go,
    except those a reader still holds a lease on.
    """
    previous = current_generation(index_dir)
    tmp_link = index_dir / f".{CURRENT}.{os.getpid()}"
    if tmp_link.is_symlink():
        tmp_link.unlink()
    tmp_link.symlink_to(generation.name)
    os.replace(tmp_link, index_dir / CURRENT)
    from indexer.leases import remove_unread  # leases open generations through this module

    keep = {generation.name, previous.name if previous else None}
    for path in index_dir.glob(f"{GENERATION_PREFIX}*"):
        if path.name not in keep:
            remove_unread(path)  # a generation a reader still holds stays (indexer.leases)


def _index_files(generation: Path) -> dict[str, int]:
    """``{name: size}`` of the Whoosh files of ``generation`` (not the manifest nor the writer's lock)."""
    return {
        p.name: p.stat().st_size for p in generation.iterdir()
        if p.is_file() and not p.name.startswith(MANIFEST) and not p.name.endswith("WRITELOCK")
    }


def write_manifest(generation: Path, manifest: dict) -> None:
    """Write the manifest last: its presence marks a generation as complete.

    It lists the index files and their sizes, which ``open_generation`` checks.
    """
    manifest = dict(manifest, files=_index_files(generation))
    tmp = generation / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, generation / MANIFEST)


def read_manifest(generation: Path) -> dict:
    """The manifest of ``generation``; ``IndexDamagedError`` when it cannot be read."""
    try:
        manifest = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise damaged(generation.parent, f"manifeste illisible : {generation.name}/{MANIFEST}") from exc
    if not isinstance(manifest, dict):
        raise damaged(generation.parent, f"manifeste illisible : {generation.name}/{MANIFEST}")
    return manifest


def damaged(index_dir: Path, reason: str) -> IndexDamagedError:
    """The French error for a damaged index: what is wrong, and the command that rebuilds it."""
    return IndexDamagedError(
        f"index endommagé dans {index_dir} ({reason}) ; reconstruisez-le : {repair_command(index_dir)}"
    )


def repair_command(index_dir: Path) -> str:
    """``rtes-search index SOURCES --rebuild --index-dir DIR``, with the sources and column
    mapping of the newest readable manifest (``SOURCES`` when none can be read)."""
    manifest = {}
    for path in sorted(index_dir.glob(f"{GENERATION_PREFIX}*/{MANIFEST}"), reverse=True):
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            break
        except (OSError, UnicodeDecodeError, ValueError):
            continue
    words = ["rtes-search", "index", *(manifest.get("sources") or ["SOURCES"])]
    mapping = manifest.get("mapping") or {}
    for option, default in (("id_field", "id"), ("title_field", "title"), ("text_field", "text")):
        if mapping.get(option, default) != default:
            words += ["--" + option.replace("_", "-"), mapping[option]]
    for name, column in mapping.get("fields", []):
        words += ["--field", f"{name}={column}"]
    command = " ".join(shlex.quote(str(w)) if w != "SOURCES" else w for w in words)
    return f"{command} --rebuild --index-dir {shlex.quote(str(index_dir))}"



def open_generation(generation: Path) -> tuple:
    """``(index, manifest)`` of ``generation``, checked whole first; ``IndexDamagedError`` if not.

    Checks the manifest, every file it lists (present, same size), the table
    of contents and every segment's headers (a reader is opened and closed).
    """
    index_dir = generation.parent
    manifest = read_manifest(generation)
    for name, size in (manifest.get("files") or {}).items():
        path = generation / name
        if not path.is_file():
            raise damaged(index_dir, f"fichier manquant : {generation.name}/{name}")
        if path.stat().st_size != size:
            raise damaged(
                index_dir, f"fichier tronqué ou modifié : {generation.name}/{name}, "
                f"{path.stat().st_size} octets au lieu de {size}",
            )
    try:
        index = whoosh_index.open_dir(str(generation))
        index.reader().close()
    except Exception as exc:  # Whoosh fails on a garbled file with anything from EOFError to struct.error
        raise damaged(index_dir, f"fichiers de l'index illisibles dans {generation.name}") from exc
    return index, manifest


def find_current(index_dir: Path) -> Path | None:
    """The current generation, or None when there is no index; ``IndexDamagedError`` when broken.

    "No index" is a folder that does not exist or holds neither a ``current``
    link nor a complete generation (an interrupted first build leaves only a
    partial one). A dangling ``current``, a generation without manifest, or
    complete generations without ``current`` are damage, not absence: they
    are never silently rebuilt from whatever corpus is at hand.
    """
    link = index_dir / CURRENT
    if not link.is_symlink():
        if any((p / MANIFEST).exists() for p in index_dir.glob(f"{GENERATION_PREFIX}*")):
            raise damaged(index_dir, f"le lien « {CURRENT} » manque")
        return None
    generation = index_dir / os.readlink(link)
    if not generation.is_dir():
        raise damaged(index_dir, f"le lien « {CURRENT} » mène à {os.readlink(link)}, introuvable")
    if not (generation / MANIFEST).exists():
        raise damaged(index_dir, f"manifeste manquant : {generation.name}/{MANIFEST}")
    return generation


def open_current(index_dir: Path) -> tuple | None:
    """``(generation, index, manifest)`` of the current generation, checked whole; None without index."""
    generation = find_current(index_dir)
    return None if generation is None else (generation, *open_generation(generation))
