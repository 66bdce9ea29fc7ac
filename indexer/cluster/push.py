"""Pushed documents written straight into a cluster: the write API of ``rtes-search serve --cluster``.

``ClusterPushes`` is the cluster's counterpart of ``indexer.updates.Pushes``:
``put(docs)`` and ``delete(ids)`` write into the collection behind the
address's alias, through our own analysis (``fields_to_write`` then
``to_cluster``, as ``ClusterSink`` writes), and return once Typesense
acknowledged the writes, that is once the Raft log entry is committed on a
majority of the nodes. There is no journal of our own: the cluster's Raft
log is the durable record. Each call also updates what the cluster backend
keeps beside the collection:

- the manifest's facet counts (``public`` and ``all``) and document count,
  adjusted by the facets of each document written or deleted;
- the collection's push ``revision``, a small document beside the manifest
  (``catalogue.revision_id``) that the searchers read at every request, to
  read their statistics, facets and vocabulary counts again when it moved;
- the texts collection (``C.texts``): each document's texts, written
  before its terms and deleted after them, as ``ClusterSink`` does;
- the vocabulary collection (``C.words``): the new words of the documents
  written (a known word keeps its count, as an indexing update does).

The statistics BM25 needs (document count, total lengths) are read from the
collection itself by the searchers, so writing the documents updates them.

Writes arriving together in one process share one import and one
manifest write (group commit, as ``Pushes`` shares an fsync). Writes are
serialised: by a lock within the process, and by an exclusive
``flock`` on a file of the machine's temporary folder named after the
cluster and alias, across the processes of one machine (the workers of
``serve --workers``, several servers). What a write starts from (each
document's content hash and facets, the manifest, the revision) is read
from the leader, found with ``/debug`` before each write: a follower
applies a write a moment after the leader acknowledged it, so reading
from it could miss the write just before. Each pushed document also
carries what was pushed (``pushed``, stored only), so that indexing runs
keep it (``ClusterSink.pushed``).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterable, NamedTuple
from urllib.parse import quote

from indexer.cluster.address import ClusterAddress
from indexer.cluster.catalogue import MANIFESTS, alias_target, read_manifest, read_revision, revision_id
from indexer.cluster.client import Connection, retrying
from indexer.cluster.errors import ClusterError
from indexer.cluster.facets import FIELDS as FACET_FIELDS_READ
from indexer.cluster.facets import FacetCounts, carried
from indexer.cluster import paired
from indexer.cluster.schema import CLUSTER_SCHEMA_VERSION, to_cluster
from indexer.cluster.vocabulary import WordCounts, vocabulary_name
from indexer.documents import Document
from indexer.journal import PUSHED_SOURCE, document_record, record_document
from indexer.schema import WORDS_FIELD
from indexer.sync import fields_to_write, utc_now
from indexer.updates import WriteGroups, WriteResult, _status
from indexer.versions import current_versions, same_versions

LEADER = 1                # the ``state`` of the leader in Typesense's ``/debug``
PUSHED_FIELD = "pushed"   # stored only: the pushed document as the journal keeps it (``document_record``)
WRITE_DEADLINE = 30.0     # seconds a write is sent again while the cluster elects a leader
WRITE_TIMEOUT = 30.0
PAGE = 250                # ids per search when reading what the collection holds (Typesense's largest page)
SEARCHES = 50             # searches per multi_search (Typesense's default limit)
STATE_FIELDS = ",".join(("id", "content_hash", "indexed_at", *FACET_FIELDS_READ))


class _State(NamedTuple):
    """What one document is in the collection: its hash, first-indexing time and facets."""

    content_hash: str
    indexed_at: str
    facets: tuple


class ClusterPushes:
    """The write side of one cluster alias for one process (module docstring); thread-safe."""

    def __init__(self, address: ClusterAddress):
        self.address, self.alias = address, address.collection
        self.connection = Connection(address, read_timeout=WRITE_TIMEOUT)
        self.client = self.connection.client
        self._lock = threading.Lock()
        self._groups = WriteGroups(self._lock)   # writes waiting for the next group
        self._leader: Connection | None = None
        nodes = ",".join(f"{host}:{port}" for host, port in sorted(address.nodes))
        name = hashlib.sha256(f"{nodes}/{self.alias}".encode()).hexdigest()[:16]
        self.lock_path = Path(tempfile.gettempdir()) / f"rtes-search-push-{os.getuid()}-{name}.lock"

    def close(self) -> None:
        if self._leader is not None:
            self._leader.close()
        self.connection.close()

    def __enter__(self) -> "ClusterPushes":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- cluster calls -----------------------------------------------------

    def _find_leader(self) -> None:
        """Read from the leader from now on (from any node when none says it leads: one node only,
        a load balancer, an election)."""
        if self._leader is not None:
            if self._role(self._leader) == LEADER:
                return
            self._leader.close()
            self._leader = None
        if len(self.address.nodes) == 1:
            return
        for node in self.address.nodes:
            connection = Connection(replace(self.address, nodes=(node,)), read_timeout=WRITE_TIMEOUT, retries=0)
            if self._role(connection) == LEADER:
                self._leader = connection
                return
            connection.close()

    @staticmethod
    def _role(connection: Connection):
        try:
            return connection.call(lambda: connection.client.debug.retrieve()).get("state")
        except ClusterError:
            return None

    @property
    def _reads(self) -> Connection:
        """Where reads go: the leader, else any node."""
        return self._leader or self.connection

    def _read(self, request):
        """``request(client)`` on the leader (else any node)."""
        connection = self._reads
        return connection.call(lambda: request(connection.client))

    def _write(self, request):
        return retrying(lambda: self.connection.call(request), time.monotonic() + WRITE_DEADLINE)

    @contextmanager
    def _machine_lock(self):
        """The machine's lock (``flock`` on ``_lock_path``), this process's being held."""
        try:
            handle = open(self.lock_path, "a+b")
        except OSError as exc:
            raise ClusterError(f"verrou d'écriture inutilisable : {self.lock_path} ({exc.strerror})") from None
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    # -- the collection and its manifest -----------------------------------

    def _prepare(self) -> tuple[str, dict]:
        """The aliased collection and its manifest, read from the leader."""
        self._find_leader()
        reads = self._reads
        collection = alias_target(reads.client, self.alias, reads.call)
        if collection is None:
            raise ClusterError(f"aucune collection « {self.alias} » dans le cluster {self.address.redacted()} : "
                               f"lancez d'abord « rtes-search index --cluster … »")
        manifest = read_manifest(reads.client, collection, reads.call)
        if not same_versions(manifest, dict(current_versions(), cluster_schema_version=CLUSTER_SCHEMA_VERSION)):
            raise ClusterError(f"la collection « {self.alias} » a été écrite par une autre version de l'analyse "
                               f"ou du schéma : reconstruisez-la avec « rtes-search index --cluster … --rebuild »")
        return collection, manifest

    def _states(self, collection: str, ids: list[str]) -> dict[str, _State | None]:
        """The documents ``ids`` as the leader holds them (None: not held): searches by id, ``PAGE`` ids
        each, sent together (one round trip for up to ``PAGE × SEARCHES`` ids, where reading each
        document was a round trip of its own). An id holding a backtick, which a filter cannot name,
        is read alone."""
        plain = [doc_id for doc_id in ids if "`" not in doc_id]
        states = {doc_id: self._state(collection, doc_id) for doc_id in ids if "`" in doc_id}
        chunks = [plain[start:start + PAGE] for start in range(0, len(plain), PAGE)]
        for start in range(0, len(chunks), SEARCHES):
            searches = [{"collection": collection, "q": "*", "per_page": len(chunk), "include_fields": STATE_FIELDS,
                         "filter_by": "id:[" + ",".join(f"`{doc_id}`" for doc_id in chunk) + "]"}
                        for chunk in chunks[start:start + SEARCHES]]
            answer = self._read(lambda client, searches=searches: client.multi_search.perform({"searches": searches}, {}))
            for result in answer["results"]:
                if "error" in result:
                    raise ClusterError(f"le cluster {self.address.redacted()} a refusé une lecture : {result['error']}")
                for hit in result["hits"]:
                    doc = hit["document"]
                    states[doc["id"]] = _State(doc.get("content_hash", ""), doc.get("indexed_at", ""), carried(doc))
        return {doc_id: states.get(doc_id) for doc_id in ids}

    def _state(self, collection: str, doc_id: str) -> _State | None:
        """The document as the leader holds it (None: not held)."""
        from typesense.exceptions import ObjectNotFound

        try:
            doc = self._read(lambda client: client.collections[collection].documents[quote(doc_id, safe="")].retrieve())
        except ObjectNotFound:
            return None
        return _State(doc.get("content_hash", ""), doc.get("indexed_at", ""), carried(doc))

    # -- writing -----------------------------------------------------------

    def put(self, docs: Iterable[Document]) -> list[WriteResult]:
        """Write ``docs`` (added, updated, or unchanged and not written); acknowledged by the cluster on return."""
        return self._apply([(doc.id, doc) for doc in docs])

    def delete(self, ids: Iterable[str]) -> list[WriteResult]:
        """Delete ``ids``; an id the collection does not hold is ``missing``."""
        return self._apply([(doc_id, None) for doc_id in ids])

    def documents(self) -> int:
        """How many documents the aliased collection holds."""
        with self._lock:
            collection, _ = self._prepare()
            return self._read(lambda client: client.collections[collection].retrieve())["num_documents"]

    def _apply(self, operations: list[tuple[str, Document | None]]) -> list[WriteResult]:
        """Write ``operations`` with those other threads bring meanwhile: one import, one manifest
        write for all of them (group commit; each write is several round trips to the leader)."""
        return self._groups.run(operations, self._apply_tickets)

    def _apply_tickets(self, tickets: list) -> None:
        with self._machine_lock():
            results = self._apply_all([operation for t in tickets for operation in t.operations])
        for ticket in tickets:
            ticket.results, results = results[:len(ticket.operations)], results[len(ticket.operations):]

    def _apply_all(self, operations: list[tuple[str, Document | None]]) -> list[WriteResult]:
        """Decide each operation's status in order, then write what changes. Both locks held."""
        collection, manifest = self._prepare()
        before = self._states(collection, list(dict.fromkeys(i for i, _ in operations)))
        latest, results, now = dict(before), [], utc_now()
        final: dict[str, dict | None] = {}
        for doc_id, doc in operations:
            old = latest[doc_id]
            digest = doc.content_hash() if doc is not None else None
            status = _status(old.content_hash if old else None, digest)
            results.append(WriteResult(doc_id, status))
            if status in ("unchanged", "missing"):
                continue
            if doc is None:
                latest[doc_id], final[doc_id] = None, None
                continue
            doc = replace(doc, source=PUSHED_SOURCE, line=0, collection="")
            fields = fields_to_write(doc, digest, old, now, PUSHED_SOURCE)
            document = dict(to_cluster(fields), **{PUSHED_FIELD: json.dumps(document_record(doc),
                                                                             ensure_ascii=False)})
            latest[doc_id], final[doc_id] = _State(digest, fields["indexed_at"], carried(document)), document
        if final:
            self._send(collection, manifest, before, final)
        return results

    def _send(self, collection: str, manifest: dict, before: dict, final: dict) -> None:
        """Write the documents (texts and terms: ``indexer.cluster.paired``), then the new words, then the
        manifest (counts) and the revision."""
        from typesense.exceptions import ObjectNotFound

        upserts = [document for document in final.values() if document is not None]
        if upserts:
            paired.upsert(self.client, self._write, collection, upserts)
        for doc_id in (i for i, d in final.items() if d is None):
            paired.delete(self.client, self._write, collection, doc_id)
        words = WordCounts()
        for document in upserts:
            words.add(document[WORDS_FIELD])
        vocabulary = self.client.collections[vocabulary_name(collection)].documents
        try:
            for batch in words.batches():   # ``create``: a known word and its count stay as they are
                self._write(lambda batch=batch: vocabulary.import_(batch, {"action": "create"}))
        except ObjectNotFound:
            pass   # a collection written without a vocabulary: searches correct nothing there
        self._write_manifest(collection, manifest, before, final)

    def _write_manifest(self, collection: str, manifest: dict, before: dict, final: dict) -> None:
        facets = FacetCounts()
        for name, counter in (("all", facets.all), ("public", facets.public)):
            for field, values in manifest.get("facets", {}).get(name, {}).items():
                counter.update({(field, value): n for value, n in values.items()})
        held = manifest.get("documents", 0)
        for doc_id, document in final.items():
            if before[doc_id] is not None:
                facets.count(before[doc_id].facets, -1)
                held -= 1
            if document is not None:
                facets.count(carried(document))
                held += 1
        # The revision is kept apart from the manifest, which an indexing run writes anew.
        revision = read_revision(self._reads.client, collection, self._reads.call) + 1
        manifest = dict(manifest, facets=facets.to_dict(), documents=held, pushed_at=time.time())
        recorded = {"id": collection, "alias": self.alias, "manifest": json.dumps(manifest, ensure_ascii=False)}
        stamp = {"id": revision_id(collection), "alias": self.alias, "manifest": json.dumps({"revision": revision})}
        self._write(lambda: self.client.collections[MANIFESTS].documents.upsert(recorded))
        self._write(lambda: self.client.collections[MANIFESTS].documents.upsert(stamp))


def pushed_documents(pushed: dict[str, str]) -> list[Document]:
    """The Documents of ``PUSHED_FIELD`` values (id → JSON), as they were pushed."""
    return [record_document(json.loads(value)) for value in pushed.values()]
