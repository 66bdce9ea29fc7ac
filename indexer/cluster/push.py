"""Pushed documents written straight into a cluster: the write API of ``rtes-search serve --cluster``.

``ClusterPushes`` is the cluster's counterpart of ``indexer.updates.Pushes``:
``put(docs)`` and ``delete(ids)`` write into the collection behind the
address's alias, through our own analysis (``document_fields`` then
``to_cluster``, as ``ClusterSink`` writes), and return once Typesense
acknowledged the writes, that is once the Raft log entry is committed on a
majority of the nodes. There is no journal of our own: the cluster's Raft
log is the durable record. Each call also updates what the cluster backend
keeps beside the collection:

- the manifest's facet counts (``public`` and ``all``) and document count,
  adjusted by the facets of each document written or deleted, and its
  ``revision``, a counter the searchers read at every request
  (``catalogue.read_revision``) to reread their statistics, facets and
  vocabulary counts when it moved;
- the vocabulary collection (``C.words``): the new words of the documents
  written (a known word keeps its count, as an indexing update does).

The statistics BM25 needs (document count, total lengths) are read from the
collection itself by the searchers, so writing the documents updates them.

Writes of one process are serialised (one lock). A read from a follower may
lag the leader by a moment, so the state this process wrote (the content
hash and facets of each document, the manifest) is kept in memory and
trusted over what the cluster answers; the manifest is taken again from
the cluster when another writer changed it (an indexing run, another
server). Each pushed document also carries what was pushed (``pushed``,
stored only), so that indexing runs keep it (``ClusterSink.pushed``).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import replace
from typing import Iterable
from urllib.parse import quote

from indexer.cluster.address import ClusterAddress
from indexer.cluster.catalogue import MANIFESTS, alias_target, read_manifest, revision_id
from indexer.cluster.client import Connection, retrying
from indexer.cluster.errors import ClusterError
from indexer.cluster.facets import FacetCounts, carried
from indexer.cluster.schema import CLUSTER_SCHEMA_VERSION, to_cluster
from indexer.cluster.vocabulary import WordCounts, vocabulary_name
from indexer.documents import Document
from indexer.journal import PUSHED_SOURCE, document_record, record_document
from indexer.metadata import extract_metadata
from indexer.schema import WORDS_FIELD
from indexer.sync import document_fields, utc_now
from indexer.updates import WriteResult, _status
from indexer.versions import current_versions, same_versions

PUSHED_FIELD = "pushed"   # stored only: the pushed document as the journal keeps it (``document_record``)
WRITE_DEADLINE = 30.0     # seconds a write is sent again while the cluster elects a leader
WRITE_TIMEOUT = 30.0
_KNOWN = ("content_hash", "indexed_at", "private", "type", "year", "theme", "territory")


class _State:
    """What one document is in the collection: its hash, first-indexing time and facets."""

    __slots__ = ("content_hash", "indexed_at", "facets")

    def __init__(self, content_hash: str, indexed_at: str, facets: tuple):
        self.content_hash, self.indexed_at, self.facets = content_hash, indexed_at, facets


class ClusterPushes:
    """The write side of one cluster alias for one process (module docstring); thread-safe."""

    def __init__(self, address: ClusterAddress):
        self.address, self.alias = address, address.collection
        self.connection = Connection(address, read_timeout=WRITE_TIMEOUT)
        self.client = self.connection.client
        self._lock = threading.Lock()
        self._collection: str | None = None
        self._manifest: dict = {}      # the manifest as this process last wrote (or took) it
        self._seen: set[str] = set()   # digests of the manifests this process wrote or took
        self._states: dict[str, _State | None] = {}   # id → state this process wrote (None: deleted)

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> "ClusterPushes":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- cluster calls -----------------------------------------------------

    def _read(self, request):
        return self.connection.call(request)

    def _write(self, request):
        return retrying(lambda: self.connection.call(request), time.monotonic() + WRITE_DEADLINE)

    # -- the collection and its manifest -----------------------------------

    def _prepare(self) -> str:
        """The aliased collection, its manifest taken again when another writer changed it."""
        collection = alias_target(self.client, self.alias, self._read)
        if collection is None:
            raise ClusterError(f"aucune collection « {self.alias} » dans le cluster {self.address.redacted()} : "
                               f"lancez d'abord « rtes-search index --cluster … »")
        stored = read_manifest(self.client, collection, self._read)
        digest = _digest(stored)
        if collection != self._collection:
            self._collection, self._states, self._manifest, self._seen = collection, {}, stored, {digest}
        elif digest not in self._seen and stored.get("revision", 0) >= self._manifest.get("revision", 0):
            # An indexing run rewrote the manifest (it keeps no revision), or another server pushed
            # after this one: take theirs, and read the documents' states from the cluster again.
            # A manifest this process wrote or took, or an older one, is a follower lagging behind.
            self._states, self._seen = {}, {digest}
            self._manifest = dict(stored, revision=max(stored.get("revision", 0), self._manifest.get("revision", 0)))
        if not same_versions(self._manifest, dict(current_versions(), cluster_schema_version=CLUSTER_SCHEMA_VERSION)):
            raise ClusterError(f"la collection « {self.alias} » a été écrite par une autre version de l'analyse "
                               f"ou du schéma : reconstruisez-la avec « rtes-search index --cluster … --rebuild »")
        return collection

    def _state(self, collection: str, doc_id: str) -> _State | None:
        """The document as this process wrote it, else as the cluster holds it (None: not held)."""
        from typesense.exceptions import ObjectNotFound

        if doc_id in self._states:
            return self._states[doc_id]
        try:
            doc = self._read(lambda: self.client.collections[collection].documents[quote(doc_id, safe="")].retrieve())
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
            collection = self._prepare()
            return self._read(lambda: self.client.collections[collection].retrieve())["num_documents"]

    def _apply(self, operations: list[tuple[str, Document | None]]) -> list[WriteResult]:
        with self._lock:
            collection = self._prepare()
            before = {doc_id: self._state(collection, doc_id) for doc_id in dict.fromkeys(i for i, _ in operations)}
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
                fields = document_fields(extract_metadata(doc), digest, (old and old.indexed_at) or now, PUSHED_SOURCE)
                document = dict(to_cluster(fields), **{PUSHED_FIELD: json.dumps(document_record(doc),
                                                                                 ensure_ascii=False)})
                latest[doc_id], final[doc_id] = _State(digest, fields["indexed_at"], carried(document)), document
            if final:
                self._send(collection, before, latest, final)
            return results

    def _send(self, collection: str, before: dict, latest: dict, final: dict) -> None:
        """Write the documents, then the new words, then the manifest (counts and revision)."""
        from typesense.exceptions import ObjectNotFound

        documents = self.client.collections[collection].documents
        upserts = [document for document in final.values() if document is not None]
        if upserts:
            results = self._write(lambda: documents.import_(upserts, {"action": "upsert"}))
            refused = [(d["id"], r) for d, r in zip(upserts, results) if not r.get("success")]
            if refused:
                self._states = {}   # what was written is not known: read it again next time
                raise ClusterError(f"{len(refused)} document(s) refusé(s) par le cluster, dont {refused[0][0]!r} : "
                                   f"{refused[0][1].get('error')}")
        for doc_id in (i for i, d in final.items() if d is None):
            try:
                self._write(lambda doc_id=doc_id: documents[quote(doc_id, safe="")].delete())
            except ObjectNotFound:
                pass   # already gone (another writer): what was asked
        self._states.update((doc_id, latest[doc_id]) for doc_id in final)
        words = WordCounts()
        for document in upserts:
            words.add(document[WORDS_FIELD])
        vocabulary = self.client.collections[vocabulary_name(collection)].documents
        try:
            for batch in words.batches():   # ``create``: a known word and its count stay as they are
                self._write(lambda batch=batch: vocabulary.import_(batch, {"action": "create"}))
        except ObjectNotFound:
            pass   # a collection written without a vocabulary: searches correct nothing there
        self._write_manifest(collection, before, final)

    def _write_manifest(self, collection: str, before: dict, final: dict) -> None:
        facets = FacetCounts()
        for name, counter in (("all", facets.all), ("public", facets.public)):
            for field, values in self._manifest.get("facets", {}).get(name, {}).items():
                counter.update({(field, value): n for value, n in values.items()})
        held = self._manifest.get("documents", 0)
        for doc_id, document in final.items():
            if before[doc_id] is not None:
                facets.count(before[doc_id].facets, -1)
                held -= 1
            if document is not None:
                facets.count(carried(document))
                held += 1
        revision = self._manifest.get("revision", 0) + 1
        self._manifest = dict(self._manifest, facets=facets.to_dict(), documents=held, revision=revision,
                              pushed_at=time.time())
        manifest = {"id": collection, "alias": self.alias, "manifest": json.dumps(self._manifest, ensure_ascii=False)}
        stamp = {"id": revision_id(collection), "alias": self.alias, "manifest": json.dumps({"revision": revision})}
        self._write(lambda: self.client.collections[MANIFESTS].documents.upsert(manifest))
        self._write(lambda: self.client.collections[MANIFESTS].documents.upsert(stamp))
        self._seen.add(_digest(json.loads(manifest["manifest"])))


def pushed_documents(pushed: dict[str, str]) -> list[Document]:
    """The Documents of ``PUSHED_FIELD`` values (id → JSON), as they were pushed."""
    return [record_document(json.loads(value)) for value in pushed.values()]


def _digest(manifest: dict) -> str:
    return hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()
