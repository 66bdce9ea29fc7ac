"""Write the index: ingest → metadata → compare content hashes → write → switch.

``update_index`` is the everyday run: it adds new documents, rewrites those
whose content hash changed, deletes vanished ones when asked (``prune``)
and touches nothing else; when nothing changed it writes no generation at
all. ``build_index`` writes every document into a fresh generation. Both
hold the index lock, write beside the current generation and switch the
``current`` symlink only once the new one is complete, so a crash, a
``kill -9`` or a full disk leaves the previous index searchable.

The library never prints: progress goes through an optional callback, and
the outcome is an ``IndexReport`` the faces format.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Iterable

from whoosh import index as whoosh_index

from indexer.analysis import ANALYZER_VERSION
from indexer.documents import Document, IngestError
from indexer.errors import IndexerError, IndexLockedError
from indexer.ingest import FieldMapping, iter_documents, source_files
from indexer.metadata import extract_metadata
from indexer.report import IndexProgress, IndexReport, Progress
from indexer.schema import FACET_FIELDS, SCHEMA
from indexer.storage import (
    clone_generation, current_generation, index_lock, new_generation, read_manifest, switch_to, write_manifest,
)


def metadata_version() -> str:
    """A digest of the metadata rules (code and data files).

    Content hashes are taken before metadata extraction, so that unchanged
    documents cost no extraction; an index whose rules changed since it was
    built is rebuilt instead, like one built by another analyzer.
    """
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*(package / "metadata").glob("*.py"), *(package / "data").glob("*")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def sources_fingerprint(paths: Iterable[Path]) -> str:
    """A hash of the source files' names, sizes and modification times."""
    digest = hashlib.sha256()
    for path in source_files(paths):
        stat = path.stat()
        digest.update(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def stale_sources(index_dir: Path) -> list[Path] | None:
    """The sources to update from when the index is out of date, else None.

    An index is out of date when its source files changed since it was
    built (added, removed, resized or touched) or when it was built by
    another version of the analysis or of the metadata rules.
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
        or manifest.get("metadata_version") != metadata_version()
        or manifest.get("sources_fingerprint") != sources_fingerprint(paths)
    )
    return paths if changed else None


def ensure_index(
    index_dir: Path, default_paths: Iterable[Path], progress: Progress | None = None
) -> IndexReport | None:
    """Build the index if it is missing (from ``default_paths``), update it if out of date.

    Only an index of ``default_paths`` is updated here: one built from other
    sources (a 100,000-article collection, say) is updated by an explicit
    ``rtes-search index``, never by surprise before a search.
    Returns the report of the run, or None when the index was up to date,
    or when another process is writing it (searches then read the current
    generation, which stays valid until that writer switches).
    """
    index_dir = Path(index_dir)
    if current_generation(index_dir) is None:
        return build_index(default_paths, index_dir, progress)
    sources = stale_sources(index_dir)
    if not sources or {p.resolve() for p in sources} != {Path(p).resolve() for p in default_paths}:
        return None
    mapping = read_manifest(current_generation(index_dir)).get("mapping")
    try:
        report = update_index(sources, index_dir, progress, mapping=_mapping_from(mapping), prune=True)
    except IndexLockedError:
        return None
    return report if report.changed else None


def _document_fields(doc: Document, content_hash: str) -> dict:
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
        "content_hash": content_hash,
        "lang": doc.lang,
        "fetched_at": doc.fetched_at,
        "attachments": list(doc.attachments),
    }
    return {name: value for name, value in fields.items() if value != "" or name not in FACET_FIELDS}


def _mapping_from(data: dict | None) -> FieldMapping | None:
    if not data:
        return None
    return FieldMapping(data["id_field"], data["title_field"], data["text_field"], tuple(map(tuple, data["fields"])),
                        data.get("resources_only", False))


def _mapping_to(mapping: FieldMapping | None) -> dict | None:
    if mapping is None:
        return None
    return {
        "id_field": mapping.id_field, "title_field": mapping.title_field,
        "text_field": mapping.text_field, "fields": [list(f) for f in mapping.fields],
        "resources_only": mapping.resources_only,
    }


def build_index(
    paths: Iterable[Path],
    index_dir: Path,
    progress: Progress | None = None,
    mapping: FieldMapping | None = None,
) -> IndexReport:
    """Index every document under ``paths`` into a fresh generation of ``index_dir``.

    The counts compare with the index it replaces: a rebuild drops what is
    no longer in ``paths``. ``mapping`` says which columns of JSONL/CSV
    sources fill which fields; it is kept in the manifest for later runs.
    Malformed records are skipped and reported; if nothing at all could be
    indexed the previous index stays current and ``IndexerError`` is raised.
    """
    return _run([Path(p) for p in paths], Path(index_dir), progress, mapping, full=True, prune=True)


def update_index(
    paths: Iterable[Path],
    index_dir: Path,
    progress: Progress | None = None,
    mapping: FieldMapping | None = None,
    prune: bool = False,
) -> IndexReport:
    """Bring ``index_dir`` up to date with ``paths``, writing only what changed.

    With ``prune``, documents of the index that ``paths`` no longer yield
    are deleted; without it they are kept (several sources can feed one
    index). An index built by another analyzer, schema or metadata rules is
    rebuilt.
    """
    return _run([Path(p) for p in paths], Path(index_dir), progress, mapping, full=False, prune=prune)


def _run(paths, index_dir, progress, mapping, *, full, prune) -> IndexReport:
    started = time.perf_counter()
    for path in paths:
        if not path.exists():
            raise IndexerError(f"chemin introuvable : {path}")
    try:
        with index_lock(index_dir):
            return _locked_run(paths, index_dir, progress, mapping, full, prune, started)
    except OSError as exc:  # unwritable directory, a file in the way, a full disk
        raise IndexerError(f"impossible de créer l'index dans {index_dir} : {exc.strerror or exc}") from exc


def _locked_run(paths, index_dir, progress, mapping, full, prune, started) -> IndexReport:
    previous = current_generation(index_dir)
    known = _known_hashes(previous)
    reusable = not full and previous is not None and _compatible(previous)
    update = _Update(index_dir, previous if reusable else None, known, progress, started)
    try:
        for item in iter_documents(paths, mapping):
            update.take(item)
        if prune or not reusable:
            update.delete_missing()
    except BaseException:
        update.cancel()
        raise
    if not update.seen:
        update.cancel()
        why = " ; ".join(e.reason for e in update.errors[:3]) + (" ; …" if len(update.errors) > 3 else "")
        where = ", ".join(map(str, paths))
        raise IndexerError(f"aucun document indexable dans {where}" + (f" : {why}" if why else ""))
    sources = paths if prune or not reusable else _merged_sources(previous, paths)
    manifest = {
        "analyzer_version": ANALYZER_VERSION,
        "metadata_version": metadata_version(),
        "sources": [str(p.resolve()) for p in sources],
        "sources_fingerprint": sources_fingerprint(sources),
        "mapping": _mapping_to(mapping),
    }
    documents = update.finish(manifest)
    return IndexReport(
        update.counts["added"], update.counts["updated"], update.counts["deleted"], update.counts["unchanged"],
        tuple(update.errors), documents, str(index_dir), time.perf_counter() - started,
    )


def _merged_sources(previous: Path | None, paths: list[Path]) -> list[Path]:
    """This run's sources plus the earlier ones still on disk (an update without prune keeps both)."""
    earlier = [Path(p) for p in read_manifest(previous).get("sources", [])] if previous else []
    resolved = {p.resolve() for p in paths}
    return [p for p in earlier if p.exists() and p.resolve() not in resolved] + paths


def _compatible(generation: Path) -> bool:
    """Can an update reuse this generation (same analysis, metadata rules and schema)?"""
    manifest = read_manifest(generation)
    if manifest.get("analyzer_version") != ANALYZER_VERSION or manifest.get("metadata_version") != metadata_version():
        return False
    return whoosh_index.open_dir(str(generation)).schema.names() == SCHEMA.names()


def _known_hashes(generation: Path | None) -> dict[str, str]:
    """``{id: content hash}`` of the documents of ``generation`` ("" for pre-hash indexes)."""
    if generation is None:
        return {}
    ix = whoosh_index.open_dir(str(generation))
    with ix.reader() as reader:
        return {fields["id"]: fields.get("content_hash", "") for _, fields in reader.iter_docs()}


class _Update:
    """One run's writer: opened lazily, so a run that changes nothing writes nothing."""

    def __init__(self, index_dir: Path, base: Path | None, known: dict[str, str], progress, started: float):
        self.index_dir, self.base, self.known = index_dir, base, known
        self.progress, self.started = progress, started
        self.seen: set[str] = set()
        self.errors: list[IngestError] = []
        self.counts = dict.fromkeys(("added", "updated", "deleted", "unchanged"), 0)
        self.generation: Path | None = None
        self.writer = None

    def take(self, item: Document | IngestError) -> None:
        """Compare one ingested item with the index and write it if it is new or changed."""
        if isinstance(item, IngestError):
            self.errors.append(item)
            return
        if item.id in self.seen:
            self.errors.append(IngestError(item.source, item.line, f"identifiant en double : {item.id}"))
            return
        self.seen.add(item.id)
        digest, old = item.content_hash(), self.known.get(item.id)
        if old is None:
            self._writer().add_document(**_document_fields(extract_metadata(item), digest))
            self.counts["added"] += 1
        elif old != digest:
            self._write_changed(_document_fields(extract_metadata(item), digest))
            self.counts["updated"] += 1
        else:
            self.counts["unchanged"] += 1
            if self.base is None:  # a rebuild rewrites unchanged documents too
                self._writer().add_document(**_document_fields(extract_metadata(item), digest))
        if self.progress:
            self.progress(IndexProgress(len(self.seen), len(self.known) or None, time.perf_counter() - self.started))

    def _write_changed(self, fields: dict) -> None:
        if self.base is None:
            self._writer().add_document(**fields)
        else:
            self._writer().update_document(**fields)

    def delete_missing(self) -> None:
        """Delete (or, in a rebuild, leave out) the indexed documents this run did not yield."""
        for doc_id in self.known.keys() - self.seen:
            if self.base is not None:
                self._writer().delete_by_term("id", doc_id)
            self.counts["deleted"] += 1

    def _writer(self):
        """The Whoosh writer of this run's generation, opened on first use.

        Segments are written as separate files, not one compound file: Whoosh
        reads a compound file wholly into memory when a searcher opens it
        (bench/README.md: 85 → 42 MiB peak at 5,000 documents, +5 % CPU).
        """
        if self.writer is None:
            if self.base is None:
                self.generation = new_generation(self.index_dir)
                self.writer = whoosh_index.create_in(str(self.generation), SCHEMA).writer(compound=False)
            else:
                self.generation = clone_generation(self.index_dir, self.base)
                self.writer = whoosh_index.open_dir(str(self.generation)).writer(compound=False)
        return self.writer

    def cancel(self) -> None:
        if self.writer is not None:
            self.writer.cancel()

    def finish(self, manifest: dict) -> int:
        """Commit and switch (or just refresh the manifest when nothing changed); the document count."""
        if self.writer is None:
            manifest.update(documents=len(self.known), built_at=read_manifest(self.base).get("built_at"))
            write_manifest(self.base, manifest)
            return len(self.known)
        self.writer.commit(optimize=self.base is None)
        documents = whoosh_index.open_dir(str(self.generation)).doc_count()
        manifest.update(documents=documents, built_at=time.time())
        write_manifest(self.generation, manifest)
        switch_to(self.index_dir, self.generation)
        return documents
