"""The indexing loop, whatever the destination: ingest → compare hashes → metadata → sink.

``synchronise`` reads every document of the sources, compares its content
hash with what the destination already holds, extracts metadata only for
what it must write, hands the fields to a ``Sink``, deletes what the sources
no longer yield, and returns the ``IndexReport``. The destination (a Whoosh
generation on disk, a Typesense collection) is only reached through the
sink, so both get the same counts, the same duplicate and error handling,
the same first-indexing times and the same progress.

The sink protocol (``Sink``)::

    fresh: bool                  True when the destination starts empty (a rebuild):
                                 unchanged documents are written again, and a
                                 deletion is just not writing; ``delete`` is never called
    location: str                where the index is, for the report (a folder, a URL)
    known() -> {id: KnownDocument}   what the destination held before this run
                                 (also read in a rebuild: counts and ``indexed_at``)
    pushed() -> [Document]       the documents pushed through the write API that it
                                 keeps (``indexer.journal``): a source of every run, taken
                                 first, so no run loses them
    previous_manifest() -> dict  the manifest of that previous state ({} if none)
    add(fields)                  write a new document (every document when fresh)
    replace(fields)              rewrite a document of ``known`` whose hash changed
    delete(id)                   remove a document of ``known``
    finish(manifest) -> int      make this run's writes visible at once (commit,
                                 switch); with nothing written, only record the
                                 manifest; returns the number of documents now held
    cancel()                     drop this run's writes; the previous state stays

``fields`` is the dict of ``document_fields``: the stored and indexed values
of one document, keyed by the names of ``indexer.schema.SCHEMA``.
"""

from __future__ import annotations

import time
from collections import Counter
from itertools import chain
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Protocol

from indexer.documents import Document, IngestError, IngestWarning, LeftOut, checked
from indexer.errors import IndexerError
from indexer.ingest import FieldMapping, read_sources, source_files
from indexer.journal import PUSHED_SOURCE
from indexer.metadata import extract_metadata
from indexer.report import IndexProgress, IndexReport, Progress
from indexer.schema import FACET_FIELDS, WORDS_FIELD, WORDS_PARTS
from indexer.versions import current_versions, sources_fingerprint


class KnownDocument(NamedTuple):
    """What the destination holds about one document before a run."""

    content_hash: str
    indexed_at: str  # ISO 8601 UTC, "" when the destination predates it
    origin: str = ""  # resolved path of the source file that produced it


class Sink(Protocol):
    """A destination of the indexing loop (see the module docstring)."""

    fresh: bool
    location: str

    def known(self) -> dict[str, KnownDocument]: ...

    def previous_manifest(self) -> dict: ...

    def pushed(self) -> list[Document]: ...

    def add(self, fields: dict) -> None: ...

    def replace(self, fields: dict) -> None: ...

    def delete(self, doc_id: str) -> None: ...

    def finish(self, manifest: dict) -> int: ...

    def cancel(self) -> None: ...


def utc_now() -> str:
    """The current time as stored in ``indexed_at``: ISO 8601 UTC, to the second."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def fields_to_write(doc: Document, digest: str, old, now: str, origin: str) -> dict:
    """What is written for ``doc``: its metadata extracted, its first-indexing time kept from ``old``
    (the ``KnownDocument`` it replaces, or None), else ``now``. Files, pushes and the cluster alike."""
    return document_fields(extract_metadata(doc), digest, (old and old.indexed_at) or now, origin)


def document_fields(doc: Document, content_hash: str, indexed_at: str, origin: str) -> dict:
    """The fields to write; a facet without a value (a law article has no type) is left out,
    since an indexed "" would be counted as a value of its own."""
    fields = {
        "id": doc.id,
        "title": doc.title,
        "summary": doc.summary,
        "body": doc.body,
        WORDS_FIELD: "\n".join(getattr(doc, part) for part in WORDS_PARTS),
        "collection": doc.collection,
        "private": doc.private,
        "date": doc.date,
        "source": doc.source,
        "origin": origin,
        "line": doc.line,
        "url": doc.url,
        "type": doc.type,
        "year": doc.year,
        "theme": ",".join(doc.themes),
        "territory": ",".join(doc.territories),
        "content_hash": content_hash,
        "indexed_at": indexed_at,
        "lang": doc.lang,
        "fetched_at": doc.fetched_at,
        "attachments": list(doc.attachments),
    }
    return {name: value for name, value in fields.items() if value != "" or name not in FACET_FIELDS}


class _Origins(dict):
    """Source name → resolved path, resolved once per source file."""

    def __missing__(self, source: str) -> str:
        self[source] = str(Path(source).resolve()) if source and source != PUSHED_SOURCE else source
        return self[source]


class _Run:
    """One pass of the loop: what was seen, counted and written."""

    def __init__(self, sink: Sink, progress: Progress | None, started: float):
        self.sink, self.progress, self.started = sink, progress, started
        self.known = sink.known()
        self.now = utc_now()  # the first-indexing time of the documents this run adds
        self.origins = _Origins()
        self.seen: set[str] = set()
        self._sources: set[str] = set()  # the ``source`` of every document yielded
        self.errors: list[IngestError] = []
        self.left_out: list[LeftOut] = []
        self.warnings: list[IngestWarning] = []
        self.counts = dict.fromkeys(("added", "updated", "deleted", "unchanged"), 0)

    def take(self, item: Document | IngestError) -> None:
        """Compare one ingested item with the destination and write it if it must.

        Every document is ``checked`` first, whatever its source: what cannot
        be stored (an impossible date, a ``javascript:`` address) is dropped
        with a warning, a text that cannot be written at all is an error.
        """
        if isinstance(item, Document):
            item, warnings = checked(item)
            self.warnings.extend(warnings)
        if isinstance(item, (LeftOut, IngestWarning)):
            (self.left_out if isinstance(item, LeftOut) else self.warnings).append(item)
            return
        if isinstance(item, IngestError):
            self.errors.append(item)
            return
        if item.id in self.seen:
            self.errors.append(IngestError(item.source, item.line, f"identifiant en double : {item.id}"))
            return
        self.seen.add(item.id)
        self._sources.add(item.source)
        digest, old, origin = item.content_hash(), self.known.get(item.id), self.origins[item.source]
        # The hash leaves out how the source path was spelt; a document that moved to another file is rewritten.
        moved = bool(old and old.origin and old.origin != origin)
        action = "added" if old is None else "updated" if old.content_hash != digest or moved else "unchanged"
        self.counts[action] += 1
        if action != "unchanged" or self.sink.fresh:  # a rebuild rewrites unchanged documents too
            fields = fields_to_write(item, digest, old, self.now, origin)
            write = self.sink.replace if action == "updated" and not self.sink.fresh else self.sink.add
            write(fields)
        if self.progress:
            self.progress(IndexProgress(len(self.seen), len(self.known) or None, time.perf_counter() - self.started))

    def read_again(self, files: list[Path]) -> set[str]:
        """The source files this run read through: every file of the sources (``files``) and every
        file a document came from, except a file that failed as a whole (an error at line 0)."""
        read = {self.origins[str(path)] for path in files} | {PUSHED_SOURCE}  # the journal is read whole
        read |= {self.origins[doc_source] for doc_source in self._sources}
        return read - {self.origins[e.source] for e in self.errors if e.line == 0}

    def delete_missing(self, files: list[Path], everything: bool) -> None:
        """Delete (or, when fresh, leave out) the known documents this run did not yield.

        A source file read again is the truth for the documents it produced:
        those it no longer yields are deleted (a resource renamed in the
        export has a new id; the old one goes). With ``everything`` (prune, or
        a fresh sink), so are those of files that are gone or not read.
        """
        read = set() if everything else self.read_again(files)
        for doc_id in self.known.keys() - self.seen:
            if not everything and self.known[doc_id].origin not in read:
                continue
            if not self.sink.fresh:
                self.sink.delete(doc_id)
            self.counts["deleted"] += 1

    def report(self, documents: int) -> IndexReport:
        c = self.counts
        return IndexReport(
            c["added"], c["updated"], c["deleted"], c["unchanged"], tuple(self.errors), documents,
            self.sink.location, time.perf_counter() - self.started, tuple(self.left_out), tuple(self.warnings),
            c["unchanged"] if self.sink.fresh else 0,
        )


def check_paths(paths: list[Path]) -> None:
    """Every source path exists, or the ``IndexerError`` naming the first that does not
    (before anything is locked or created)."""
    for path in paths:
        if not path.exists():
            raise IndexerError(f"chemin introuvable : {path}")


def index_run(
    paths: list[Path], make_sink: Callable[[dict], Sink], mapping: FieldMapping | None, prune: bool,
    progress: Progress | None,
) -> IndexReport:
    """One indexing run into any destination (paths checked first: ``check_paths``): the
    analyzer, schema and metadata versions taken, the sink made for them
    (``make_sink(versions)``), the loop run.

    The manifest records those versions and the mapping, for later runs of either backend.
    """
    versions = current_versions()
    manifest = dict(versions, mapping=mapping.to_record() if mapping else None)
    return synchronise(paths, make_sink(versions), manifest, mapping=mapping, prune=prune, progress=progress)


def synchronise(
    paths: list[Path],
    sink: Sink,
    manifest: dict,
    *,
    mapping: FieldMapping | None = None,
    prune: bool = False,
    progress: Progress | None = None,
) -> IndexReport:
    """Bring ``sink`` up to date with the documents of ``paths``; the report of the run.

    ``manifest`` (versions, mapping) is completed with the sources and handed
    to ``sink.finish``. Known documents a source file read again no longer
    yields are deleted; with ``prune`` (or a fresh sink), every known
    document the sources no longer yield is. If nothing at all could be read,
    the sink is cancelled and ``IndexerError`` raised: the previous state stays.
    """
    run = _Run(sink, progress, time.perf_counter())
    try:
        files = source_files(paths)  # one walk of the source folders for reading and for deleting
        for item in chain(sink.pushed(), read_sources(paths, mapping, files)):
            run.take(item)
        run.delete_missing(files, everything=prune or sink.fresh)
    except BaseException:
        sink.cancel()
        raise
    if not run.seen:
        sink.cancel()
        why = " ; ".join(e.reason for e in run.errors[:3]) + (" ; …" if len(run.errors) > 3 else "")
        if run.left_out:
            reasons = Counter(item.reason for item in run.left_out)
            why += (" ; " if why else "") + ", ".join(f"{n} × {reason}" for reason, n in reasons.most_common())
        where = ", ".join(map(str, paths))
        raise IndexerError(f"aucun document indexable dans {where}" + (f" : {why}" if why else ""))
    sources = paths if prune or sink.fresh else _merged_sources(sink.previous_manifest(), paths)
    manifest = dict(
        manifest, sources=[str(p.resolve()) for p in sources], sources_fingerprint=sources_fingerprint(sources)
    )
    return run.report(sink.finish(manifest))


def _merged_sources(previous: dict, paths: Iterable[Path]) -> list[Path]:
    """This run's sources plus the earlier ones still on disk (an update without prune keeps both)."""
    paths = list(paths)
    resolved = {p.resolve() for p in paths}
    earlier = [Path(p) for p in previous.get("sources", [])]
    return [p for p in earlier if p.exists() and p.resolve() not in resolved] + paths
