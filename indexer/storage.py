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
only: the manifest lists every file with its size and carries its own
CRC-32, and every file has chunk checksums (``indexer.checksums``), checked
as searches read them and whole by ``index`` and ``check_index``. So a
truncated, garbled or bit-flipped file, a garbled manifest or a missing
``current`` link is an ``IndexDamagedError`` in French naming the command
that rebuilds the index, never a Whoosh or JSON traceback.
"""

from __future__ import annotations

import fcntl
import json
import os
import shlex
import shutil
import time
import zlib
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from whoosh.filedb.filestore import FileStorage

from indexer.checksums import CHECKSUMS, CheckedStorage, Checksums, chunk_range
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
    """A new generation holding hard links to ``source``'s index files (removed again if that fails:
    a copy can fill the disk)."""
    generation = new_generation(index_dir)
    try:
        for path in source.iterdir():
            if path.is_file() and path.name not in (MANIFEST, CHECKSUMS) and not path.name.endswith("WRITELOCK"):
                try:
                    os.link(path, generation / path.name)
                except OSError:  # a file system without hard links: copy instead
                    shutil.copy2(path, generation / path.name)
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
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
    """``{name: size}`` of the Whoosh files of ``generation`` (not the manifest, the checksums nor the
    writer's lock)."""
    return {
        p.name: p.stat().st_size for p in generation.iterdir()
        if p.is_file() and not p.name.startswith((MANIFEST, CHECKSUMS)) and not p.name.endswith("WRITELOCK")
    }


def _manifest_sum(manifest: dict) -> int:
    """The CRC-32 a manifest carries of itself (of its other keys, in a canonical form)."""
    rest = {key: value for key, value in manifest.items() if key != "checksum"}
    return zlib.crc32(json.dumps(rest, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def write_manifest(generation: Path, manifest: dict, previous: Path | None = None) -> None:
    """Write the checksums, then the manifest last: its presence marks a generation as complete.

    It lists the index files and their sizes, which ``open_generation``
    checks, and the CRC-32 of the checksums file and of itself. The files
    ``generation`` shares with ``previous`` (hard links of an update, or
    ``previous`` itself) keep ``previous``'s checksums: it was checked
    whole when this run opened it, so only new files are read.
    """
    files = _index_files(generation)
    known = read_checksums(previous, read_manifest(previous)) if previous is not None else None

    def shared(name: str) -> bool:
        return (previous / name).is_file() and os.path.samefile(previous / name, generation / name)

    sidecar, entry = Checksums.compute(generation, files, known, shared).sidecar()
    _replace(generation / CHECKSUMS, sidecar)
    manifest = dict(manifest, files=files, checksums=entry)
    manifest["checksum"] = _manifest_sum(manifest)
    _replace(generation / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8"))


def _replace(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all (a full disk leaves neither half a file nor its temporary copy)."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_manifest(generation: Path) -> dict:
    """The manifest of ``generation``; ``IndexDamagedError`` when it cannot be read or is not what was written."""
    try:
        manifest = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise damaged(generation.parent, f"manifeste illisible : {generation.name}/{MANIFEST}") from exc
    if not isinstance(manifest, dict) or ("checksum" in manifest and manifest["checksum"] != _manifest_sum(manifest)):
        raise damaged(generation.parent, f"manifeste illisible : {generation.name}/{MANIFEST}")
    return manifest


def read_checksums(generation: Path, manifest: dict) -> Checksums | None:
    """The chunk checksums of ``generation``'s files; None for a generation written without them."""
    if not manifest.get("checksums"):
        return None
    try:
        return Checksums.read(generation, manifest.get("files") or {}, manifest["checksums"])
    except ValueError as exc:
        raise damaged(generation.parent, f"sommes de contrôle illisibles : {generation.name}/{CHECKSUMS} ({exc})") from exc


def damaged(index_dir: Path, reason: str) -> IndexDamagedError:
    """The French error for a damaged index: what is wrong, and the command that rebuilds it
    (``reason`` alone is kept as its ``reason``, for a report listing several)."""
    error = IndexDamagedError(
        f"index endommagé dans {index_dir} ({reason}) ; reconstruisez-le : {repair_command(index_dir)}"
    )
    error.reason = reason
    return error


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



def file_problems(generation: Path, manifest: dict, checksums: Checksums | None, again: bool = True) -> list[str]:
    """What is wrong with ``generation``'s files, in French: missing, resized, and with
    ``checksums``, every file a chunk of which differs (read whole; with ``again`` off, not the
    files this process already read whole unchanged: ``_CheckedWhole``)."""
    problems, intact = [], []
    for name, size in (manifest.get("files") or {}).items():
        path = generation / name
        if not path.is_file():
            problems.append(f"fichier manquant : {generation.name}/{name}")
        elif path.stat().st_size != size:
            problems.append(
                f"fichier tronqué ou modifié : {generation.name}/{name}, {path.stat().st_size} octets au lieu de {size}"
            )
        else:
            intact.append(name)
    if checksums is not None:
        started = time.time()
        unread = intact if again else [name for name in intact if not _CHECKED.holds(generation / name, checksums, name)]
        damaged_files = checksums.damaged_chunks(generation, unread)
        for name, chunks in damaged_files.items():
            more = f" (et {len(chunks) - 1} autre(s) bloc(s))" if len(chunks) > 1 else ""
            problems.append(f"bloc endommagé : {generation.name}/{name}, {chunk_range(chunks[0])}{more}")
        for name in unread:
            if name not in damaged_files:
                _CHECKED.remember(generation / name, checksums, name, started)
    return problems


class _CheckedWhole:
    """The files this process read whole and found intact, so that a writer building on them again
    reads only new ones.

    A server's committer builds a generation about every second on the
    previous one, whose files are hard links to the same inodes: checking
    all of them each time read the whole index (0.16 s of CPU at 101,194
    documents, per commit). A file is trusted again only while its inode,
    size, modification time and expected checksums are those it had when
    read, and only if it was older than ``SETTLED`` seconds when read (a
    write to it later then changes its time, whatever the clock's grain;
    its change time moves with every hard link, so it is not compared). Searches still check each chunk they read, and ``check_index``
    (``index --check``) always reads every file.
    """

    SETTLED = 2.0
    KEPT = 10_000

    def __init__(self):
        self._files: OrderedDict[tuple, None] = OrderedDict()

    @staticmethod
    def _key(path: Path, checksums: Checksums, name: str) -> tuple:
        info, sums = path.stat(), checksums.of(name)
        return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, sums.tobytes() if sums is not None else None

    def holds(self, path: Path, checksums: Checksums, name: str) -> bool:
        return self._key(path, checksums, name) in self._files

    def remember(self, path: Path, checksums: Checksums, name: str, read_at: float) -> None:
        key = self._key(path, checksums, name)
        if key[3] / 1e9 < read_at - self.SETTLED:
            self._files[key] = None
            while len(self._files) > self.KEPT:
                self._files.popitem(last=False)


_CHECKED = _CheckedWhole()


def open_generation(generation: Path, whole: bool = False, damage: type[Exception] = IndexDamagedError) -> tuple:
    """``(index, manifest)`` of ``generation``, checked first; ``IndexDamagedError`` if not.

    Checks the manifest, every file it lists (present, same size; with
    ``whole``, every chunk's checksum), the table of contents and every
    segment's headers (a reader is opened and closed). The index reads
    through ``CheckedStorage``: each chunk a search reads is checked then,
    and a damaged one raised as ``damage`` (a searcher passes the error its
    faces answer) with the same French message.
    """
    index_dir = generation.parent
    manifest = read_manifest(generation)
    checksums = read_checksums(generation, manifest)
    problems = file_problems(generation, manifest, checksums if whole else None, again=False)
    if problems:
        raise damaged(index_dir, problems[0])
    if checksums is None:
        storage = FileStorage(str(generation), readonly=True)
    else:
        storage = CheckedStorage(generation, checksums, lambda reason: _as(damage, damaged(index_dir, reason)))
    try:
        index = storage.open_index()
        index.reader().close()
    except IndexDamagedError:
        raise
    except Exception as exc:  # Whoosh fails on a garbled file with anything from EOFError to struct.error
        raise damaged(index_dir, f"fichiers de l'index illisibles dans {generation.name}") from exc
    return index, manifest


def _as(kind: type[Exception], error: IndexDamagedError) -> Exception:
    """``error``, or its message as a ``kind`` when the reader asked for another class."""
    return error if isinstance(error, kind) else kind(str(error))


@dataclass(frozen=True)
class IndexCheck:
    """What ``check_index`` found: the generation, its files and bytes read, and what is wrong."""

    generation: Path
    files: int
    size: int
    problems: tuple[str, ...]
    checksums: bool  # False for a generation written before checksums: sizes and headers only


def check_index(index_dir: Path) -> IndexCheck | None:
    """Check the current generation of ``index_dir`` whole (None when there is no index).

    A broken ``current`` link or manifest raises ``IndexDamagedError`` (nothing
    else can be checked); damaged files are listed, each once.
    """
    generation = find_current(index_dir)
    if generation is None:
        return None
    manifest = read_manifest(generation)
    checksums = read_checksums(generation, manifest)
    files = manifest.get("files") or {}
    problems = file_problems(generation, manifest, checksums)
    if not problems:
        try:
            open_generation(generation)
        except IndexDamagedError as exc:
            problems.append(exc.reason)
    return IndexCheck(generation, len(files), sum(files.values()), tuple(problems), checksums is not None)


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


def open_current(index_dir: Path, whole: bool = False, damage: type[Exception] = IndexDamagedError) -> tuple | None:
    """``(generation, index, manifest)`` of the current generation, checked (``open_generation``);
    None without index."""
    generation = find_current(index_dir)
    return None if generation is None else (generation, *open_generation(generation, whole, damage))
