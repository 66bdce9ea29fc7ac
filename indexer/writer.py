"""Build an index from source paths: ingest → metadata → write → switch.

The library never prints: progress goes through an optional callback, and
the outcome is an ``IndexReport`` the faces format.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from whoosh import index as whoosh_index

from indexer.analysis import ANALYZER_VERSION
from indexer.documents import Document, IngestError
from indexer.errors import IndexerError
from indexer.ingest import FieldMapping, iter_documents, source_files
from indexer.metadata import extract_metadata
from indexer.schema import FACET_FIELDS, SCHEMA
from indexer.storage import current_generation, new_generation, read_manifest, switch_to, write_manifest

Progress = Callable[[int, Document], None]


@dataclass(frozen=True)
class IndexReport:
    """What a build did: counts, the errors of skipped records, where and how long."""

    indexed: int
    skipped: int
    errors: tuple[IngestError, ...] = field(default=())
    index_dir: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {
            "indexed": self.indexed,
            "skipped": self.skipped,
            "errors": [{"source": e.source, "line": e.line, "reason": e.reason} for e in self.errors],
            "index_dir": self.index_dir,
            "seconds": round(self.seconds, 3),
        }


def sources_fingerprint(paths: Iterable[Path]) -> str:
    """A hash of the source files' names, sizes and modification times."""
    digest = hashlib.sha256()
    for path in source_files(paths):
        stat = path.stat()
        digest.update(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def stale_sources(index_dir: Path) -> list[Path] | None:
    """The sources to rebuild from when the index is out of date, else None.

    An index is out of date when its source files changed since it was
    built (added, removed, resized or touched) or when it was built by
    another version of the analysis.
    """
    generation = current_generation(index_dir)
    if generation is None:
        return None
    manifest = read_manifest(generation)
    paths = [Path(p) for p in manifest.get("sources", [])]
    if not paths or not all(p.exists() for p in paths):
        return None
    changed = (
        manifest.get("analyzer_version") != ANALYZER_VERSION
        or manifest.get("sources_fingerprint") != sources_fingerprint(paths)
    )
    return paths if changed else None


def ensure_index(index_dir: Path, default_paths: Iterable[Path], progress: Progress | None = None) -> IndexReport | None:
    """Build the index if it is missing (from ``default_paths``) or out of date.

    Returns the report of the build, or None when the index was up to date.
    """
    index_dir = Path(index_dir)
    if current_generation(index_dir) is None:
        return build_index(default_paths, index_dir, progress)
    sources = stale_sources(index_dir)
    if not sources:
        return None
    mapping = read_manifest(current_generation(index_dir)).get("mapping")
    return build_index(sources, index_dir, progress, mapping=_mapping_from(mapping))


def _document_fields(doc: Document) -> dict:
    """The fields to write; a facet without a value (a law article has no type) is left out,
    since an indexed "" would be counted as a value of its own."""
    fields = {
        "id": doc.id,
        "title": doc.title,
        "summary": doc.summary,
        "body": doc.body,
        "words": "\n".join((doc.title, doc.summary, doc.body)),
        "collection": doc.collection,
        "private": doc.private,
        "date": doc.date,
        "source": doc.source,
        "line": doc.line,
        "url": doc.url,
        "type": doc.type,
        "year": doc.year,
        "theme": ",".join(doc.themes),
        "territory": ",".join(doc.territories),
    }
    return {name: value for name, value in fields.items() if value != "" or name not in FACET_FIELDS}


def _mapping_from(data: dict | None) -> FieldMapping | None:
    if not data:
        return None
    return FieldMapping(data["id_field"], data["title_field"], data["text_field"], tuple(map(tuple, data["fields"])))


def build_index(
    paths: Iterable[Path],
    index_dir: Path,
    progress: Progress | None = None,
    mapping: FieldMapping | None = None,
) -> IndexReport:
    """Index every document under ``paths`` into a new generation of ``index_dir``.

    ``mapping`` says which columns of JSONL/CSV sources fill which fields; it
    is kept in the manifest so that a rebuild of stale sources reuses it.

    Malformed records are skipped and reported; if nothing at all could be
    indexed the previous index stays current and ``IndexerError`` is raised.
    """
    started = time.perf_counter()
    paths = [Path(p) for p in paths]
    for path in paths:
        if not path.exists():
            raise IndexerError(f"chemin introuvable : {path}")
    try:
        generation = new_generation(Path(index_dir))
    except OSError as exc:
        raise IndexerError(f"impossible de créer l'index dans {index_dir} : {exc.strerror}") from exc
    ix = whoosh_index.create_in(str(generation), SCHEMA)
    writer = ix.writer()
    indexed, errors, seen = 0, [], set()
    try:
        for item in iter_documents(paths, mapping):
            if isinstance(item, IngestError):
                errors.append(item)
                continue
            if item.id in seen:
                errors.append(IngestError(item.source, item.line, f"identifiant en double : {item.id}"))
                continue
            seen.add(item.id)
            writer.add_document(**_document_fields(extract_metadata(item)))
            indexed += 1
            if progress:
                progress(indexed, item)
    except BaseException:
        writer.cancel()
        raise
    if indexed == 0:
        writer.cancel()
        raise IndexerError("aucun document indexable dans " + ", ".join(map(str, paths)))
    writer.commit(optimize=True)
    write_manifest(generation, {
        "analyzer_version": ANALYZER_VERSION,
        "documents": indexed,
        "built_at": time.time(),
        "sources": [str(p.resolve()) for p in paths],
        "sources_fingerprint": sources_fingerprint(paths),
        "mapping": None if mapping is None else {
            "id_field": mapping.id_field, "title_field": mapping.title_field,
            "text_field": mapping.text_field, "fields": [list(f) for f in mapping.fields],
        },
    })
    switch_to(Path(index_dir), generation)
    return IndexReport(indexed, len(errors), tuple(errors), str(index_dir), time.perf_counter() - started)
