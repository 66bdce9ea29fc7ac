"""Writing to a Typesense cluster: its address, its connection, its collection, the indexing sink.

``indexer`` cannot import ``search``, and both sides need the address
parser and the connection, so they live here; the search side
(``search.cluster``) imports them. Nothing here imports the ``typesense``
client until a connection is opened: without the ``[cluster]`` extra, only
asking for a cluster fails, with a French message saying how to install it.
The names are exported lazily (PEP 562): a search reads the address and
schema modules only, not the writer (``run``, ``sink``, ``push``).
"""

from importlib import import_module

_EXPORTS = {
    "ClusterAddress": "indexer.cluster.address",
    "parse_cluster_url": "indexer.cluster.address",
    "Connection": "indexer.cluster.client",
    "cluster_errors": "indexer.cluster.client",
    "retrying": "indexer.cluster.client",
    "ClusterAddressError": "indexer.cluster.errors",
    "ClusterAuthError": "indexer.cluster.errors",
    "ClusterError": "indexer.cluster.errors",
    "ClusterMissingError": "indexer.cluster.errors",
    "ClusterUnavailableError": "indexer.cluster.errors",
    "index_cluster": "indexer.cluster.run",
    "collection_schema": "indexer.cluster.schema",
    "to_cluster": "indexer.cluster.schema",
    "ClusterSink": "indexer.cluster.sink",
}

__all__ = [
    "ClusterAddress",
    "ClusterAddressError",
    "ClusterAuthError",
    "ClusterError",
    "ClusterMissingError",
    "ClusterSink",
    "ClusterUnavailableError",
    "Connection",
    "cluster_errors",
    "collection_schema",
    "index_cluster",
    "parse_cluster_url",
    "retrying",
    "to_cluster",
]


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'indexer.cluster' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
