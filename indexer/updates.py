"""Pushed documents: durable in the journal at once, in the index within a second.

``update_documents(index_dir, docs)`` and ``delete_documents(index_dir, ids)``
are the Python API: each journals its operations (``indexer.journal``,
fsynced) and applies them to the index before returning, so the documents
are searchable when it returns.

A server keeps one ``Pushes`` instead, and splits the two halves as
Elasticsearch does (durable translog, then a refresh): ``put`` and
``delete`` answer once the journal is fsynced, the durable point, and
``apply``, called by a background thread, writes everything not yet
applied into one new generation. Writes arriving close together thus share
one commit, and readers see a batch whole or not at all. ``apply`` holds
the index lock, so it waits for an ``index`` run from the command line
(which itself reads the journal) and never races another server process.

Each operation's status is decided in journal order against the latest
state: the journal's own (the last operation on an id) before the index's.
"""

from __future__ import annotations

import os
import threading
import time
from bisect import bisect_right
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

from indexer.documents import Document
from indexer.errors import IndexLockedError
from indexer.journal import PUSHED_SOURCE, Entry, Journal
from indexer.storage import find_current, index_lock, read_manifest

LOCK_WAIT = 30.0   # seconds the Python API waits for the index lock (an ``index`` run) before giving up


@dataclass(frozen=True)
class WriteResult:
    """What became of one pushed operation: ``added``, ``updated``, ``unchanged``, ``deleted`` or ``missing``."""

    id: str
    status: str

    def to_dict(self) -> dict:
        return {"id": self.id, "status": self.status}


class Pushes:
    """The write side of one index for one process (see the module docstring); thread-safe."""

    def __init__(self, index_dir: Path | str):
        self.index_dir = Path(index_dir)
        self.journal = Journal(self.index_dir)
        self._lock = threading.Lock()
        self._groups = WriteGroups(self._lock)   # writes waiting for the next journal append
        self._hashes: dict[str, str | None] = {}   # id → content hash of its last put, None once deleted
        self._sizes: dict[str, int] = {}           # id → bytes of the line of its live put
        self._seqs: list[int] = []                 # seq and byte offset of every line read so far
        self._offsets: list[int] = []
        self._file: tuple[int, int] = (0, 0)       # (inode, bytes read) of the journal file read
        self._indexed = _IndexedHashes(self.index_dir)

    def close(self) -> None:
        """Let go of the generation read for statuses (its lease)."""
        self._indexed.close()

    def __enter__(self) -> "Pushes":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the journal, as far as this process has read it ------------------

    def _catch_up(self) -> None:
        """Read the lines other processes (or this one) appended since the last call. Journal lock held."""
        try:
            stat = os.stat(self.journal.path)
        except FileNotFoundError:
            stat = None
        inode = stat.st_ino if stat else 0
        if inode != self._file[0] or (stat and stat.st_size < self._file[1]):  # rewritten (compacted)
            self._hashes, self._sizes, self._seqs, self._offsets, self._file = {}, {}, [], [], (inode, 0)
        offset = self._file[1]
        entries, end = self.journal.entries(start=offset)
        for entry in entries:
            self._seqs.append(entry.seq)
            self._offsets.append(offset)
            offset += entry.size
            self._hashes[entry.doc_id] = entry.document.content_hash() if entry.document else None
            self._sizes.pop(entry.doc_id, None)
            if entry.document:
                self._sizes[entry.doc_id] = entry.size
        self._file = (inode, end)

    @property
    def last_seq(self) -> int:
        return self._seqs[-1] if self._seqs else 0

    def _known_hash(self, doc_id: str) -> str | None:
        if doc_id in self._hashes:
            return self._hashes[doc_id]
        return self._indexed.content_hash(doc_id)

    # -- writing -----------------------------------------------------------

    def put(self, docs: Iterable[Document]) -> list[WriteResult]:
        """Journal ``docs`` (added, updated, or unchanged and not written); durable on return."""
        return self._write([(doc.id, replace(doc, source=PUSHED_SOURCE, line=0, collection="")) for doc in docs])

    def delete(self, ids: Iterable[str]) -> list[WriteResult]:
        """Journal the deletion of ``ids``; an id the index does not hold is ``missing``."""
        return self._write([(doc_id, None) for doc_id in ids])

    def _write(self, operations: list[tuple[str, Document | None]]) -> list[WriteResult]:
        """Journal ``operations`` with whatever other threads are writing meanwhile: one append and
        one fsync for all of them (group commit; an fsync is most of a single write's time)."""
        return self._groups.run(operations, self._journal_all)

    def _journal_all(self, tickets: list["_Ticket"]) -> None:
        """Decide each operation's status in order and append what changes, fsynced once. ``_lock`` held."""
        kept, pending = [], {}
        with self.journal.locked(True):
            self._catch_up()
            for ticket in tickets:
                ticket.results = [self._decide(doc_id, doc, pending, kept) for doc_id, doc in ticket.operations]
            if kept:
                self.journal.append(kept, self.last_seq)
                self._catch_up()

    def _decide(self, doc_id: str, doc: Document | None, pending: dict, kept: list) -> WriteResult:
        before = pending[doc_id] if doc_id in pending else self._known_hash(doc_id)
        digest = doc.content_hash() if doc is not None else None
        status = _status(before, digest)
        if status not in ("unchanged", "missing"):
            pending[doc_id] = digest
            kept.append((doc_id, doc))
        return WriteResult(doc_id, status)

    # -- applying ----------------------------------------------------------

    def pending(self) -> bool:
        """Whether the journal holds operations the current generation does not (no lock taken)."""
        with self._lock, self.journal.locked(False):
            self._catch_up()
        return self.last_seq > _applied(self.index_dir)

    def apply(self, wait: float = 0.0) -> bool:
        """Write the journal's unapplied operations into a new generation; True when one was written.

        Waits up to ``wait`` seconds for the index lock, then raises
        ``IndexLockedError``.
        """
        from indexer.apply import apply_journal   # the writers, loaded only by a process that writes

        with _waiting_lock(self.index_dir, wait):
            with self._lock, self.journal.locked(False):
                self._catch_up()
                applied = _applied(self.index_dir)
                entries = self._entries_after(applied)
            written, applied = apply_journal(self.index_dir, entries, applied)
            self._compact(applied)
        return written

    def _entries_after(self, applied: int) -> list[Entry]:
        start = bisect_right(self._seqs, applied)
        if start == len(self._seqs):
            return []
        entries, _ = self.journal.entries(after=applied, start=self._offsets[start])
        return entries

    def _compact(self, applied: int) -> None:
        """Rewrite the journal when its dead lines are more than half of it (``Journal.compact``)."""
        if self._file[1] > 2 * sum(self._sizes.values()) and self.journal.compact(applied):
            with self._lock, self.journal.locked(False):
                self._catch_up()


class _Ticket:
    """One caller's operations waiting to be written, and what became of them."""

    def __init__(self, operations: list[tuple[str, Document | None]]):
        self.operations = operations
        self.results: list[WriteResult] | None = None
        self.error: BaseException | None = None


class WriteGroups:
    """Group commit: the operations of callers arriving while a write is under way are written
    together, by whichever of them takes ``lock`` first (``Pushes``, ``indexer.cluster.push``)."""

    def __init__(self, lock: threading.Lock):
        self.lock = lock
        self._queue_lock = threading.Lock()
        self._queue: list[_Ticket] = []

    def run(self, operations: list[tuple[str, Document | None]], write_all) -> list[WriteResult]:
        """``operations``' results, written by ``write_all(tickets)`` (which sets each ticket's
        ``results``) in this thread or another; its error is raised in every thread it concerned."""
        ticket = _Ticket(operations)
        with self._queue_lock:
            self._queue.append(ticket)
        with self.lock:
            if ticket.results is None and ticket.error is None:  # no other thread took it: take them all
                with self._queue_lock:
                    tickets, self._queue = self._queue, []
                try:
                    write_all(tickets)
                except BaseException as exc:
                    for one in tickets:
                        one.results, one.error = None, exc
        if ticket.error is not None:
            raise ticket.error
        return ticket.results


def _status(before: str | None, digest: str | None) -> str:
    if digest is None:
        return "deleted" if before is not None else "missing"
    return "added" if before is None else "unchanged" if before == digest else "updated"


def _applied(index_dir: Path) -> int:
    """The last journal operation the current generation holds (0 without index)."""
    generation = find_current(index_dir)
    return read_manifest(generation).get("journal_seq", 0) if generation else 0


@contextmanager
def _waiting_lock(index_dir: Path, wait: float) -> Iterator[None]:
    """``indexer.storage.index_lock``, tried again for up to ``wait`` seconds."""
    deadline = time.monotonic() + wait
    with ExitStack() as stack:
        while True:
            try:
                stack.enter_context(index_lock(index_dir))
                break
            except IndexLockedError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)
        yield


class _IndexedHashes:
    """The content hash of a document in the current generation, its reader reopened when it changes."""

    def __init__(self, index_dir: Path):
        self.index_dir = index_dir
        self._generation: Path | None = None
        self._searcher = None
        self._lease = None

    def content_hash(self, doc_id: str) -> str | None:
        from indexer.leases import open_leased

        if find_current(self.index_dir) != self._generation:
            self.close()
            opened = open_leased(self.index_dir)
            if opened is None:
                return None
            self._lease, self._generation, index, _ = opened
            self._searcher = index.searcher()
        if self._searcher is None:
            return None
        docnum = self._searcher.document_number(id=doc_id)
        return None if docnum is None else self._searcher.reader().column_reader("content_hash")[docnum]

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._lease.release()
            self._searcher = self._lease = self._generation = None


def update_documents(index_dir: Path | str, docs: Iterable[Document], wait: float = LOCK_WAIT) -> list[WriteResult]:
    """Push ``docs`` into ``index_dir`` (created if missing): journalled, then written; searchable on return.

    ``docs`` are ``Document``s (``indexer.pushed.pushed_document`` checks a
    JSON object into one); their metadata not given is extracted from the
    text at indexing, exactly as for files. ``index_dir`` may be a cluster
    address (``typesense://…``): the documents are then written into its
    collection (``indexer.cluster.push``), acknowledged by the cluster on return.
    """
    return _written(index_dir, "put", docs, wait)


def delete_documents(index_dir: Path | str, ids: Iterable[str], wait: float = LOCK_WAIT) -> list[WriteResult]:
    """Delete ``ids`` from ``index_dir`` (or a cluster address) for good (journalled, then written):
    ``deleted`` or ``missing``."""
    return _written(index_dir, "delete", ids, wait)


def _written(target, operation: str, items, wait: float) -> list[WriteResult]:
    """``operation`` (``put`` or ``delete``) of ``items`` on a cluster's collection, acknowledged on
    return, or on an index folder, journalled then applied: the same call for both destinations."""
    cluster = _cluster_pushes(target)
    if cluster is not None:
        with cluster:
            return getattr(cluster, operation)(items)
    with Pushes(target) as pushes:
        results = getattr(pushes, operation)(items)
        pushes.apply(wait)
    return results


def _cluster_pushes(target):
    """The ``ClusterPushes`` of a cluster address (``typesense://…``); None for an index folder."""
    from indexer.cluster.address import SCHEMES

    if not (isinstance(target, str) and target.partition("://")[0].lower() in SCHEMES and "://" in target):
        return None
    from indexer.cluster import parse_cluster_url
    from indexer.cluster.push import ClusterPushes

    return ClusterPushes(parse_cluster_url(target))
