"""Write the local index: lock the folder, run the indexing loop into a new generation.

``update_index`` is the everyday run: it adds new documents, rewrites those
whose content hash changed, deletes vanished ones when asked (``prune``)
and touches nothing else; when nothing changed it writes no generation at all.
``build_index`` writes every document into a fresh generation. Both hold
the index lock, write beside the current generation and switch the
``current`` symlink only once the new one is complete, so a crash, a
``kill -9`` or a full disk leaves the previous index searchable.

The loop itself (``indexer.sync``) is shared with other destinations; the
local one is ``indexer.generation.GenerationSink``. The library never
prints: progress goes through an optional callback, and the outcome is an
``IndexReport`` the faces format.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Iterable

from indexer.disk import disk_of
from indexer.errors import IndexLockedError, IndexOutOfDateError, IndexUnwritableError
from indexer.ingest import FieldMapping
from indexer.report import IndexReport, Progress
from indexer.storage import find_current, index_lock, read_manifest
from indexer.versions import current_versions, same_versions, sources_fingerprint

# What the system says when a folder cannot be written, in French.
_OS_REASONS = {
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ENOSPC: "plus de place sur le disque",
    errno.EDQUOT: "quota de disque dépassé",
    errno.ENOTDIR: "un fichier est à la place d'un dossier",
    errno.EEXIST: "un fichier est à la place du dossier",
}


def stale_sources(manifest: dict) -> list[Path] | None:
    """The sources to update from when the index of ``manifest`` is out of date, else None.

    An index is out of date when its source files changed since it was
    built (added, removed, resized or touched) or when it was built by
    another version of the analysis, of the metadata rules or of the schema.
    """
    paths = [Path(p) for p in manifest.get("sources", [])]
    if not paths or not all(p.exists() for p in paths):
        return None
    changed = (
        not same_versions(manifest, current_versions())
        or manifest.get("sources_fingerprint") != sources_fingerprint(paths)
    )
    return paths if changed else None


def ensure_index(
    index_dir: Path, default_paths: Iterable[Path], progress: Progress | None = None, *, build_missing: bool = True
) -> IndexReport | None:
    """Update the index of ``default_paths`` if it is out of date; build it if missing and asked.

    Only the default index of the default corpus is built on demand
    (``build_missing``): a mistyped ``--index-dir`` is no place for a new
    index. Only an index of ``default_paths`` is updated here: one built from
    other sources is updated by an explicit ``rtes-search index``, never by
    surprise before a search. Returns the report of the run, or None when
    nothing was written (up to date, missing and not to be built, or another
    process is writing it: searches then read the current generation).
    Raises ``IndexDamagedError`` for a damaged index, and
    ``IndexOutOfDateError`` when it is out of date but its folder cannot be
    written: the caller warns and searches the existing index.
    """
    index_dir, default_paths = Path(index_dir), [Path(p) for p in default_paths]
    generation = find_current(index_dir)
    if generation is None:
        return build_index(default_paths, index_dir, progress) if build_missing else None
    manifest = read_manifest(generation)
    sources = stale_sources(manifest)
    if not sources or {p.resolve() for p in sources} != {p.resolve() for p in default_paths}:
        return None
    try:
        report = update_index(sources, index_dir, progress, mapping=FieldMapping.from_record(manifest.get("mapping")), prune=True)
    except IndexLockedError:
        return None
    except IndexUnwritableError as exc:
        raise IndexOutOfDateError(f"index pas à jour, résultats de l'index existant : {exc}") from exc
    return report if report.changed else None


def build_index(
    paths: Iterable[Path],
    index_dir: Path,
    progress: Progress | None = None,
    mapping: FieldMapping | None = None,
    meaning: bool | None = None,
) -> IndexReport:
    """Index every document under ``paths`` into a fresh generation of ``index_dir``.

    The counts compare with the index it replaces: a rebuild drops what is
    no longer in ``paths``. It never reads a damaged previous generation, so
    it always repairs one. ``mapping`` says which columns of JSONL/CSV
    sources fill which fields; it is kept in the manifest for later runs.
    Malformed records are skipped and reported; if nothing at all could be
    indexed the previous index stays current and ``IndexerError`` is raised.
    ``meaning`` writes the documents' meaning vectors (``indexer.meaning``, the
    ``[meaning]`` extra), which searches then use; None does as the previous index did.
    """
    return _run([Path(p) for p in paths], Path(index_dir), progress, mapping, rebuild=True, prune=True, meaning=meaning)


def update_index(
    paths: Iterable[Path],
    index_dir: Path,
    progress: Progress | None = None,
    mapping: FieldMapping | None = None,
    prune: bool = False,
    meaning: bool | None = None,
) -> IndexReport:
    """Bring ``index_dir`` up to date with ``paths``, writing only what changed.

    With ``prune``, documents of the index that ``paths`` no longer yield
    are deleted; without it they are kept (several sources can feed one
    index). An index built by another analyzer, schema or metadata rules is
    rebuilt, as is one whose meaning vectors ``meaning`` turns on or off (None: as it is).
    """
    return _run([Path(p) for p in paths], Path(index_dir), progress, mapping, rebuild=False, prune=prune, meaning=meaning)


def _run(paths, index_dir, progress, mapping, *, rebuild, prune, meaning=None) -> IndexReport:
    # Imported here: a search that finds its index up to date (ensure_index) loads
    # neither the indexing loop nor the writers (CLI cold start, README: ≤ 0.4 s).
    from indexer.generation import GenerationSink
    from indexer.sync import check_paths, index_run

    check_paths(paths)
    try:
        with index_lock(index_dir):
            return index_run(paths, lambda versions: GenerationSink(index_dir, versions, rebuild, meaning), mapping, prune, progress)
    except OSError as exc:  # unwritable directory, a file in the way, a full disk
        reason = _OS_REASONS.get(exc.errno, exc.strerror or str(exc))
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            reason += f" {disk_of(index_dir)} ; libérez de la place puis relancez"
        raise IndexUnwritableError(f"impossible de créer l'index dans {index_dir} : {reason}") from exc
