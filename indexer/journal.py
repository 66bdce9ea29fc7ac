"""The journal of pushed documents: what came through the write API, kept beside the index.

A pushed document belongs to no source folder, so no indexing run could
find it again; the journal is where it lives. ``index/pushed.jsonl`` holds
one JSON line per operation, numbered::

    {"seq": 7, "put": {"id": "…", "title": "…", "body": "…", …}}
    {"seq": 8, "delete": "…"}

A write is durable once its lines are appended and fsynced (``append``):
that is what a 200 of the write API means. The index catches up afterwards
(``indexer.updates``): each generation's manifest records the last ``seq``
it holds (``journal_seq``), so what is not applied yet is the journal's
tail, and an interrupted server applies it when it starts again. Every
indexing run (``index``, ``--prune``, ``--rebuild``, a rebuild after a
version change, the prune before a search) reads the live documents of the
journal as a source of their own (``documents``), so none is lost.

Appends and rewrites hold ``index/pushed.lock`` exclusively, readers
shared (``flock``: several server processes write the same journal), so a
batch is read whole or not at all. A line cut by a crash is never read
and is cut off before the next append. The journal is rewritten with only
its live documents (``compact``) once applied lines are mostly dead ones.
"""

from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from indexer.documents import Document

JOURNAL = "pushed.jsonl"
JOURNAL_LOCK = "pushed.lock"
PUSHED_SOURCE = "api"   # the ``source`` and origin of a pushed document
COMPACT_MIN_BYTES = 1 << 20
# What a pushed document keeps of ``Document`` (where it sits is always PUSHED_SOURCE, line 0).
STORED = ("id", "title", "body", "summary", "private", "url", "type", "year", "date", "themes", "territories", "lang")


@dataclass(frozen=True)
class Entry:
    """One operation of the journal: ``document`` set for a put, None for a delete of ``doc_id``."""

    seq: int
    doc_id: str
    document: Document | None
    size: int = 0   # bytes of its line


def document_record(doc: Document) -> dict:
    """What the journal keeps of a pushed document."""
    data = doc.to_dict()
    return {name: data[name] for name in STORED}


def record_document(record: dict) -> Document:
    values = {name: record[name] for name in STORED if name in record}
    for name in ("themes", "territories"):
        values[name] = tuple(values.get(name) or ())
    return Document(**values, source=PUSHED_SOURCE)


def _entry(line: bytes) -> Entry | None:
    """The entry of one complete line, None for a line cut by a crash."""
    try:
        data = json.loads(line)
    except ValueError:
        return None
    if "put" in data:
        return Entry(data["seq"], data["put"]["id"], record_document(data["put"]), len(line))
    return Entry(data["seq"], data["delete"], None, len(line))


def _line(seq: int, doc_id: str, doc: Document | None) -> bytes:
    record = {"seq": seq, "put": document_record(doc)} if doc is not None else {"seq": seq, "delete": doc_id}
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Journal:
    """The journal of ``index_dir`` (the file need not exist yet)."""

    def __init__(self, index_dir: Path | str):
        self.index_dir = Path(index_dir)
        self.path = self.index_dir / JOURNAL

    @contextmanager
    def locked(self, exclusive: bool) -> Iterator[None]:
        self.index_dir.mkdir(parents=True, exist_ok=True)
        with open(self.index_dir / JOURNAL_LOCK, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def entries(self, after: int = 0, start: int = 0) -> tuple[list[Entry], int]:
        """The complete entries with ``seq > after`` from byte ``start``, and the offset after the last one.

        Call with the lock held (``locked``) for a consistent read.
        """
        try:
            handle = open(self.path, "rb")
        except FileNotFoundError:
            return [], 0
        found, offset = [], start
        with handle:
            handle.seek(start)
            for line in handle:
                if not line.endswith(b"\n"):
                    break
                offset += len(line)
                entry = _entry(line)
                if entry is not None and entry.seq > after:
                    found.append(entry)
        return found, offset

    def append(self, operations: list[tuple[str, Document | None]], last_seq: int) -> list[int]:
        """Append ``(id, document or None for a delete)`` operations after ``last_seq`` (read under this
        same exclusive lock by the caller), fsync, and return their numbers. Call with ``locked(True)``."""
        seqs = list(range(last_seq + 1, last_seq + 1 + len(operations)))
        lines = [_line(seq, doc_id, doc) for seq, (doc_id, doc) in zip(seqs, operations)]
        created = not self.path.exists()
        with open(self.path, "ab") as handle:
            self._cut_partial_line(handle)
            handle.write(b"".join(lines))
            handle.flush()
            os.fsync(handle.fileno())
        if created:
            _fsync_dir(self.index_dir)
        return seqs

    @staticmethod
    def _cut_partial_line(handle) -> None:
        """Drop a last line a crash left without its newline (it was never acknowledged)."""
        size = handle.seek(0, os.SEEK_END)
        if size == 0:
            return
        with open(handle.name, "rb") as reader:
            if os.pread(reader.fileno(), 1, size - 1) == b"\n":   # the usual case: one byte read, not the tail
                return
            reader.seek(max(0, size - (1 << 20)))
            tail = reader.read()
        if tail.endswith(b"\n"):
            return
        cut = tail.rfind(b"\n")
        handle.truncate(size - len(tail) + cut + 1 if cut >= 0 else max(0, size - len(tail)))

    def documents(self) -> tuple[dict[str, Document], int]:
        """The live pushed documents (the last put of each id not deleted since) and the last ``seq``."""
        if not self.path.exists():  # nothing ever pushed: no lock file either
            return {}, 0
        with self.locked(False):
            entries, _ = self.entries()
        live: dict[str, Document] = {}
        for entry in entries:
            if entry.document is None:
                live.pop(entry.doc_id, None)
            else:
                live[entry.doc_id] = entry.document
        return live, entries[-1].seq if entries else 0

    def compact(self, applied: int) -> bool:
        """Rewrite the journal with its live puts and its unapplied tail, when dead lines are most of it.

        Deletes already applied are dropped: the index no longer holds those
        documents. Atomic (a new file renamed over the old one, fsynced).
        """
        with self.locked(True):
            entries, size = self.entries()
            if size < COMPACT_MIN_BYTES:
                return False
            latest = {e.doc_id: e for e in entries if e.seq <= applied}
            kept = sorted([e for e in latest.values() if e.document is not None] + [e for e in entries if e.seq > applied],
                          key=lambda e: e.seq)
            if 2 * sum(e.size for e in kept) > size:
                return False
            tmp = self.path.with_suffix(".tmp")
            with open(tmp, "wb") as handle:
                handle.writelines(_line(e.seq, e.doc_id, e.document) for e in kept)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
            _fsync_dir(self.index_dir)
        return True
