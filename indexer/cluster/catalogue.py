"""What a cluster says of its collections: where an alias points, and the manifest of a collection.

Read by the indexing sink (which collection to update, with which
versions) and by the search side (which collection to answer from, and
its sources); ``call`` is each side's way of running a request and
turning the client's errors into its own.
"""

from __future__ import annotations

import json
from typing import Callable

# The collection holding one manifest per collection (its id is the collection's name).
MANIFESTS = "rtes_search_manifests"


def alias_target(client, name: str, call: Callable) -> str | None:
    """The collection the alias ``name`` points to; None when ``name`` is no alias."""
    from typesense.exceptions import ObjectNotFound

    try:
        return call(lambda: client.aliases[name].retrieve())["collection_name"]
    except ObjectNotFound:
        return None


def collection_exists(client, name: str, call: Callable) -> bool:
    from typesense.exceptions import ObjectNotFound

    try:
        call(lambda: client.collections[name].retrieve())
    except ObjectNotFound:
        return False
    return True


def read_manifest(client, collection: str, call: Callable) -> dict:
    """What the indexing run recorded for ``collection`` (versions, sources, build time); {} if nothing."""
    from typesense.exceptions import ObjectNotFound

    try:
        stored = call(lambda: client.collections[MANIFESTS].documents[collection].retrieve())
    except ObjectNotFound:
        return {}
    return json.loads(stored.get("manifest", "{}"))


def revision_id(collection: str) -> str:
    """The id, in ``MANIFESTS``, of the small document holding ``collection``'s push revision."""
    return f"{collection}.revision"


def read_revision(client, collection: str, call: Callable) -> int:
    """How many pushes of the write API ``collection`` took (``indexer.cluster.push``); 0 if none.

    Searchers read it at every request: one small document, where the
    manifest holds every facet value."""
    from typesense.exceptions import ObjectNotFound

    try:
        stored = call(lambda: client.collections[MANIFESTS].documents[revision_id(collection)].retrieve())
    except ObjectNotFound:
        return 0
    return json.loads(stored.get("manifest", "{}")).get("revision", 0)
