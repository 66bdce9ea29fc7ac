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
