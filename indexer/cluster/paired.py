"""A document written to a collection ``C`` and to its texts collection ``C.texts``, in the order that
keeps searches whole.

The texts are written before the terms, and deleted after them: a
searcher, which finds documents by their terms and reads what it shows
from ``C.texts`` (``indexer.cluster.schema.split``), never finds a
document whose texts are not there. ``ClusterSink`` (indexing runs) and
``ClusterPushes`` (the write API) both write through here; ``write`` is
each one's way of sending a request again while no node takes it.
"""

from __future__ import annotations

from typing import Callable
from urllib.parse import quote

from indexer.cluster.errors import ClusterError
from indexer.cluster.schema import split, texts_name


def upsert(client, write: Callable, collection: str, documents: list[dict]) -> None:
    """Upsert ``documents`` (``to_cluster``'s) into ``collection``, their texts first; a document refused
    for itself is a ``ClusterError``."""
    ranked, texts = zip(*map(split, documents))
    for name, written in ((texts_name(collection), texts), (collection, ranked)):
        target = client.collections[name].documents
        results = write(lambda target=target, written=written: target.import_(list(written), {"action": "upsert"}))
        refused = [(doc["id"], result) for doc, result in zip(written, results) if not result.get("success")]
        if refused:
            doc_id, result = refused[0]
            raise ClusterError(
                f"{len(refused)} document(s) refusé(s) par le cluster, dont {doc_id!r} : {result.get('error')}"
            )


def delete(client, write: Callable, collection: str, doc_id: str) -> None:
    """Delete ``doc_id`` from ``collection``, then its texts; one already gone is what was asked."""
    from typesense.exceptions import ObjectNotFound

    for name in (collection, texts_name(collection)):
        try:
            write(lambda name=name: client.collections[name].documents[quote(doc_id, safe="")].delete())
        except ObjectNotFound:
            pass
