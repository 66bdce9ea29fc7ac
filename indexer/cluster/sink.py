"""The cluster destination of the indexing loop: a Typesense collection behind an alias.

``ClusterSink`` is a ``indexer.sync.Sink``. The address names an *alias*
(``…/rtes``); the documents live in a collection called ``rtes--<time>``
that the alias points to, so that readers always search a whole collection:

- an update writes in place, in batches of upserts sent by a second thread
  while the loop analyses the next documents (``BatchSender``); an upsert
  sent twice is harmless, so a batch refused while the cluster elects a
  leader is simply sent again until ``WRITE_DEADLINE``. An interrupted update leaves part of
  its documents written; the next run finishes the job, since it compares
  content hashes;
- a rebuild (``--rebuild``, a first run, or a collection written by other
  versions of the analysis, the metadata rules or this schema) writes a new
  collection and moves the alias to it in ``finish`` (Typesense switches an
  alias atomically), then drops the old collection. A ``kill -9`` before
  that leaves the alias on the old one; the orphan is dropped by the next
  rebuild.

Beside each collection ``C``, the collection ``C.texts`` holds each
document's texts (``indexer.cluster.schema.split``), written before its
terms (a searcher never finds a document whose texts are not there yet)
and deleted after them, and ``C.words`` its distinct words
(``indexer.cluster.vocabulary``), written at the end of each run (a
rebuild writes them all; an update adds the new ones); both are created
and dropped with ``C``.

Typesense 0.24 collections hold no metadata, so the manifest of each
collection (versions, sources, mapping, build time, and the documents per
facet value: ``indexer.cluster.facets``) is a document of a small
collection of its own, ``rtes_search_manifests``, keyed by collection name.
"""

from __future__ import annotations

import json
import time

from indexer.cluster.address import ClusterAddress
from indexer.cluster.client import Connection, retrying
from indexer.cluster.errors import ClusterError
from indexer.cluster.catalogue import MANIFESTS, alias_target, collection_exists, read_manifest, revision_id
from indexer.cluster.facets import FIELDS as FACET_FIELDS_READ
from indexer.cluster.facets import FacetCounts, carried
from indexer.cluster.push import PUSHED_FIELD, pushed_documents
from indexer.cluster import paired
from indexer.cluster.schema import CLUSTER_SCHEMA_VERSION, collection_schema, texts_name, texts_schema, to_cluster
from indexer.cluster.sender import BatchSender
from indexer.cluster.vocabulary import WordCounts, vocabulary_name, vocabulary_schema
from indexer.journal import PUSHED_SOURCE
from indexer.sync import KnownDocument
from indexer.versions import same_versions
from indexer.schema import WORDS_FIELD

BATCH_SIZE = 200
# Seconds a write is sent again while no node takes it (a leader election takes ~10 s here).
WRITE_DEADLINE = 120.0
# A batch of large documents can take a while to be indexed and replicated.
WRITE_TIMEOUT = 60.0
KNOWN_FIELDS = ("id", "content_hash", "indexed_at", "origin", *FACET_FIELDS_READ, PUSHED_FIELD)


class ClusterSink:
    """Write one indexing run into the collection behind ``address``'s alias (module docstring)."""

    def __init__(self, address: ClusterAddress, versions: dict, rebuild: bool):
        self.address, self.alias, self.location = address, address.collection, address.redacted()
        self.connection = Connection(address, read_timeout=WRITE_TIMEOUT)
        self.client = self.connection.client
        self.previous = self._aliased_collection()
        self._manifest = self._read_manifest(self.previous) if self.previous else {}
        compatible = same_versions(self._manifest, dict(versions, cluster_schema_version=CLUSTER_SCHEMA_VERSION))
        self.fresh = rebuild or self.previous is None or not compatible
        self.target = None if self.fresh else self.previous
        self.pending: list[dict] = []
        self.sender: BatchSender | None = None
        self.ids: set[str] = set()
        self.words = WordCounts()
        self.facets = FacetCounts()
        self._carried: dict[str, tuple] = {}  # the facets of each known document (an update adjusts the counts)
        self._pushed: dict[str, str] = {}  # id → what was pushed, for the documents of the write API

    # -- reading what is there ---------------------------------------------

    def _read(self, request):
        """Reads fail at once: followers answer them even during an election, so a
        failure means the cluster is unreachable (and an index run stops within seconds)."""
        return self.connection.call(request)

    def _write(self, request):
        return retrying(lambda: self.connection.call(request), time.monotonic() + WRITE_DEADLINE)

    def _aliased_collection(self) -> str | None:
        """The collection the alias points to; None before the first run."""
        target = alias_target(self.client, self.alias, self._read)
        if target is not None or not collection_exists(self.client, self.alias, self._read):
            return target
        raise ClusterError(
            f"« {self.alias} » est une collection du cluster, pas un alias : donnez un autre nom dans l'adresse"
        )

    def _read_manifest(self, collection: str) -> dict:
        return read_manifest(self.client, collection, self._read)

    def previous_manifest(self) -> dict:
        return self._manifest

    def pushed(self) -> list:
        """The documents the write API pushed into the collection (``indexer.cluster.push``), read by
        ``known``: every run keeps them."""
        return pushed_documents(self._pushed)

    def known(self) -> dict[str, KnownDocument]:
        """What the aliased collection holds: id, hash, first-indexing time and origin of each document."""
        if self.previous is None:
            return {}
        exported = self._read(
            lambda: self.client.collections[self.previous].documents.export({"include_fields": ",".join(KNOWN_FIELDS)})
        )
        known = {}
        for line in exported.splitlines():
            if line:
                doc = json.loads(line)
                known[doc["id"]] = KnownDocument(doc.get("content_hash", ""), doc.get("indexed_at", ""),
                                                 doc.get("origin", ""))
                if doc.get(PUSHED_FIELD):
                    self._pushed[doc["id"]] = doc[PUSHED_FIELD]
                if not self.fresh:
                    self._carried[doc["id"]] = carried(doc)
        if not self.fresh:
            self.ids = set(known)
            for facets in self._carried.values():
                self.facets.count(facets)
        return known

    # -- writing -----------------------------------------------------------

    def add(self, fields: dict) -> None:
        document = to_cluster(fields)
        if fields["id"] in self._pushed and fields.get("source") == PUSHED_SOURCE:
            document[PUSHED_FIELD] = self._pushed[fields["id"]]  # still a pushed document at the next run
        self.pending.append(document)
        self.words.add(document[WORDS_FIELD])
        self._uncount(fields["id"])
        self.facets.count(carried(document))
        self.ids.add(fields["id"])
        if len(self.pending) >= BATCH_SIZE:
            self._flush()

    replace = add  # an upsert replaces the whole document

    def _uncount(self, doc_id: str) -> None:
        """Take a known document's facets out of the counts (it is rewritten or deleted)."""
        if doc_id in self._carried:
            self.facets.count(self._carried.pop(doc_id), -1)

    def delete(self, doc_id: str) -> None:
        """Delete at once (``indexer.cluster.paired``): a run never both writes and deletes one id, so order
        does not matter."""
        paired.delete(self.client, self._write, self.target, doc_id)
        self._uncount(doc_id)
        self.ids.discard(doc_id)

    def _flush(self) -> None:
        """Hand the pending documents to the sender thread (creating the collection first)."""
        if not self.pending:
            return
        if self.target is None:
            self.target = self._create_collection()
        if self.sender is None:
            self.sender = BatchSender(self._import)
        batch, self.pending = self.pending, []
        self.sender.send(batch)

    def _import(self, batch: list[dict]) -> None:
        """Upsert ``batch`` (in the sender thread, ``indexer.cluster.paired``); a document refused for itself
        stops the run."""
        paired.upsert(self.client, self._write, self.target, batch)

    def _create_collection(self) -> str:
        from typesense.exceptions import ObjectAlreadyExists

        name = f"{self.alias}--{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{time.time_ns() % 10**6:06d}"
        schemas = (collection_schema(name), texts_schema(texts_name(name)), vocabulary_schema(vocabulary_name(name)))
        for schema in schemas:
            try:
                self._write(lambda schema=schema: self.client.collections.create(schema))
            except ObjectAlreadyExists:
                pass  # created by a first try whose answer was lost during an election
        return name

    # -- ending ------------------------------------------------------------

    def finish(self, manifest: dict) -> int:
        """Send what is left, record the manifest, move the alias (a rebuild); the document count."""
        self._flush()
        if self.sender is not None:
            self.sender.close()
        collection = self.target or self.previous
        self._write_words(collection)
        built_at = time.time() if self.fresh else self._manifest.get("built_at")
        manifest = dict(manifest, documents=len(self.ids), built_at=built_at, collection=collection,
                        cluster_schema_version=CLUSTER_SCHEMA_VERSION, facets=self.facets.to_dict())
        self._write_manifest(collection, manifest)
        if self.fresh:  # a fresh run wrote every document (the loop refuses to finish with none)
            self._write(lambda: self.client.aliases.upsert(self.alias, {"collection_name": collection}))
            self._drop_others(collection)
        self.connection.close()
        return len(self.ids)

    def _write_words(self, collection: str) -> None:
        """The run's words into the vocabulary: all of them after a rebuild, the new ones after an update
        (``create`` leaves a known word and its count as they are)."""
        action = "upsert" if self.fresh else "create"
        words = self.client.collections[vocabulary_name(collection)].documents
        for batch in self.words.batches():
            self._write(lambda batch=batch: words.import_(batch, {"action": action}))

    def _write_manifest(self, collection: str, manifest: dict) -> None:
        from typesense.exceptions import ObjectAlreadyExists

        try:
            self._write(lambda: self.client.collections.create(
                {"name": MANIFESTS, "fields": [{"name": "alias", "type": "string"}]}
            ))
        except ObjectAlreadyExists:
            pass
        document = {"id": collection, "alias": self.alias, "manifest": json.dumps(manifest, ensure_ascii=False)}
        self._write(lambda: self.client.collections[MANIFESTS].documents.upsert(document))

    def _drop_others(self, keep: str) -> None:
        """Drop the alias's other collections: the one it pointed to, and orphans of interrupted rebuilds.

        Best effort: the alias has moved, the run is done; what is left is
        dropped by the next rebuild.
        """
        try:
            for info in self._read(lambda: self.client.collections.retrieve()):
                name = info["name"]
                if name not in (keep, texts_name(keep), vocabulary_name(keep)) and name.startswith(f"{self.alias}--"):
                    self._drop(name)
        except ClusterError:
            pass

    def _drop(self, name: str) -> None:
        from typesense.exceptions import ObjectNotFound

        for request in (lambda: self.client.collections[name].delete(),
                        lambda: self.client.collections[texts_name(name)].delete(),
                        lambda: self.client.collections[vocabulary_name(name)].delete(),
                        lambda: self.client.collections[MANIFESTS].documents[name].delete(),
                        lambda: self.client.collections[MANIFESTS].documents[revision_id(name)].delete()):
            try:
                self._write(request)
            except ObjectNotFound:
                pass

    def cancel(self) -> None:
        """Drop a rebuild's new collection (best effort: the cluster may be what failed)."""
        if self.sender is not None:
            self.sender.abandon()
        try:
            if self.fresh and self.target is not None:
                self._drop(self.target)
        except ClusterError:
            pass
        finally:
            self.connection.close()
