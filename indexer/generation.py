"""The local destination of the indexing loop: a new Whoosh generation per run (a ``Sink``).

A run that changes something writes a new generation beside the current
one: from scratch when it is fresh (a rebuild, a first build, or a previous
index written by other versions), analysed and written by two more
processes (``indexer.pipeline``); else from hard links to the current one's
files (Whoosh never rewrites a segment file), through Whoosh's own writer. ``finish`` commits and
switches ``current``; a run that wrote nothing only refreshes the current
manifest. The previous generation is opened once, checked whole (every
chunk of every file against its checksum: a run never builds on damage),
and read for what it holds (``known``) from its columns, not its stored
documents. A run that fails anywhere, even in its last commit on a full
disk, removes the generation it was writing.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.errors import IndexDamagedError
from indexer.journal import Journal
from indexer.meaning import MODEL as MEANING_MODEL, require as require_meaning, write_vectors
from indexer.pipeline import FreshSegment
from indexer.schema import SCHEMA
from indexer.storage import clone_generation, damaged, new_generation, open_current, switch_to, write_manifest
from indexer.sync import KnownDocument
from indexer.versions import same_versions

KNOWN_COLUMNS = ("content_hash", "indexed_at", "origin")


class GenerationSink:
    """Write one run into a new generation of ``index_dir`` (see the module docstring).

    ``rebuild`` starts from scratch and never fails because of the previous
    generation: it reads from it only what it holds (``known``: the columns
    of ids, hashes and first-indexing dates, each block checked as read), so
    the counts and ``indexed_at`` survive damage elsewhere; a generation
    whose columns are damaged too, or that cannot be opened, is left unread
    (its documents count as gone, the new ones as added).
    """

    def __init__(self, index_dir: Path, versions: dict, rebuild: bool, meaning: bool | None = None):
        """``meaning``: write meaning vectors (``indexer.meaning``); None keeps what the previous generation did."""
        self.index_dir, self.location, self.rebuild = index_dir, str(index_dir), rebuild
        self.schema = SCHEMA  # read here, so that the stemmer benchmark can swap the module's
        try:
            self.previous, self._index, self._manifest = open_current(index_dir, whole=not rebuild) or (None, None, {})
        except IndexDamagedError:
            if not rebuild:
                raise
            self.previous, self._index, self._manifest = None, None, {}
        self.meaning = bool(self._manifest.get("meaning")) if meaning is None else meaning
        if self.meaning:
            require_meaning()
        self.fresh = rebuild or self._index is None or not self._compatible(versions)
        self.generation: Path | None = None
        self.writer = None
        self.journal_seq: int | None = None

    def _compatible(self, versions: dict) -> bool:
        """Can this run update the previous generation (same analysis, rules and schema)?"""
        return (same_versions(self._manifest, versions) and self._index.schema.names() == self.schema.names()
                and bool(self._manifest.get("meaning")) == self.meaning)

    def previous_manifest(self) -> dict:
        return self._manifest

    def known(self) -> dict[str, KnownDocument]:
        """What the previous generation holds, read from its columns."""
        if self._index is None:
            return {}
        try:
            with self._index.reader() as reader:
                return _read_known(reader)
        except Exception as exc:  # a garbled segment the size check could not see
            if self.rebuild:
                return {}
            raise damaged(self.index_dir, f"documents illisibles dans {self.previous.name}") from exc

    def known_of(self, ids) -> dict[str, KnownDocument]:
        """What the previous generation holds of ``ids`` only (a push touches a few documents)."""
        if self._index is None:
            return {}
        with self._index.searcher() as searcher:
            reader = searcher.reader()
            columns = [_column(reader, name) for name in KNOWN_COLUMNS]
            docnums = {doc_id: searcher.document_number(id=doc_id) for doc_id in ids}
            return {
                doc_id: KnownDocument(*(column[d] for column in columns))
                for doc_id, d in docnums.items() if d is not None
            }

    def pushed(self) -> list:
        """The live documents of the index's journal of pushed documents (``indexer.journal``);
        ``finish`` records the last operation read as applied."""
        documents, self.journal_seq = Journal(self.index_dir).documents()
        return list(documents.values())

    def add(self, fields: dict) -> None:
        if self.fresh:
            self._fresh_segment().add(fields)
        else:
            self._writer().add_document(**fields)

    def replace(self, fields: dict) -> None:
        self._writer().update_document(**fields)

    def delete(self, doc_id: str) -> None:
        self._writer().delete_by_term("id", doc_id)

    def _fresh_segment(self) -> FreshSegment:
        """The one segment of a fresh generation (``indexer.pipeline``).

        Segments are written as separate files, not one compound file (here
        and in ``_writer``): Whoosh reads a compound file wholly into memory
        when a searcher opens it (bench/README.md: 85 → 42 MiB peak at 5,000
        documents, +5 % CPU).
        """
        if self.writer is None:
            self.generation = new_generation(self.index_dir)
            whoosh_index.create_in(str(self.generation), self.schema)
            self.writer = FreshSegment(self.generation)
        return self.writer

    def _writer(self):
        """The Whoosh writer updating a clone of the previous generation, opened on first use."""
        if self.writer is None:
            self.generation = clone_generation(self.index_dir, self.previous)
            self.writer = whoosh_index.open_dir(str(self.generation)).writer(compound=False)
        return self.writer

    def cancel(self) -> None:
        """Drop this run's generation; the current one stays as it was.

        A writer that failed (a full disk) may fail again when cancelled;
        its files are removed with the generation all the same, and the
        first error is the one the run reports.
        """
        try:
            if self.writer is not None:
                self.writer.cancel()
        except Exception:
            pass
        finally:
            self.writer = None
            if self.generation is not None:
                shutil.rmtree(self.generation, ignore_errors=True)

    def finish(self, manifest: dict) -> int:
        """Commit and switch (or just refresh the manifest when nothing changed); the document count.

        A failure (a full disk while the segment or the manifest is
        written) drops this run's generation before it is raised.
        """
        if self.journal_seq is not None:
            manifest = dict(manifest, journal_seq=self.journal_seq)
        manifest = {key: value for key, value in manifest.items() if key != "meaning"}
        if self.meaning:
            manifest["meaning"] = MEANING_MODEL
        if self.writer is None:
            documents = self._index.doc_count()
            write_manifest(self.previous, dict(manifest, documents=documents, built_at=self._manifest.get("built_at")),
                           previous=self.previous)
            return documents
        try:
            if self.fresh:
                documents = self.writer.commit()
            else:
                self.writer.commit()
                documents = whoosh_index.open_dir(str(self.generation)).doc_count()
            if self.meaning:  # before the manifest: the vector files are summed with the others
                write_vectors(self.generation, self.previous)
            write_manifest(self.generation, dict(manifest, documents=documents, built_at=time.time()),
                           previous=None if self.fresh else self.previous)
        except BaseException:
            self.cancel()
            raise
        switch_to(self.index_dir, self.generation)
        return documents


def _column(reader, name: str):
    """A docnum → value reader of column ``name``, or one answering "" when the index has none."""
    field = reader.schema[name] if name in reader.schema.names() else None
    if field is None or not field.column_type:
        return _Empty()
    return reader.column_reader(name)


class _Empty:
    def __getitem__(self, docnum: int) -> str:
        return ""


def _read_known(reader) -> dict[str, KnownDocument]:
    """``{id: KnownDocument}`` of the live documents of ``reader``.

    Columns cost a few bytes per document; the stored fields of a generation
    written before the columns existed are read instead (the whole documents).
    """
    if "id" not in reader.schema.names() or not reader.schema["id"].column_type:
        return {
            fields["id"]: KnownDocument(fields.get("content_hash", ""), fields.get("indexed_at", ""))
            for _, fields in reader.iter_docs()
        }
    ids = reader.column_reader("id")
    columns = [_column(reader, name) for name in KNOWN_COLUMNS]
    return {ids[d]: KnownDocument(*(column[d] for column in columns)) for d in reader.all_doc_ids()}
