"""Searching a Typesense cluster, and running a local one.

- ``ClusterSearcher``: the search contract (``search.backend.SearchBackend``)
  over a collection of a cluster, ``typesense://KEY@HOST:PORT[,…]/ALIAS``;
- ``LocalCluster``: N nodes of the packaged Typesense server on 127.0.0.1,
  started and stopped by pid (``rtes-search cluster start|stop``, the tests);
- ``cluster_status``: which node leads and how many documents each holds.

The names are exported lazily (PEP 562), as ``search``'s are: a search
from a cold process imports the searcher only, not the launcher nor,
through it, the cluster writer (``indexer.cluster``: 36 ms of imports).
"""

from importlib import import_module

_EXPORTS = {
    "DEFAULT_COLLECTION": "search.cluster.launcher",
    "LocalCluster": "search.cluster.launcher",
    "LocalNode": "search.cluster.launcher",
    "ClusterStatus": "search.cluster.probe",
    "NodeProbe": "search.cluster.probe",
    "cluster_status": "search.cluster.probe",
    "probe_node": "search.cluster.probe",
    "ClusterSearchError": "search.cluster.reader",
    "ClusterUnavailableError": "search.cluster.reader",
    "ClusterSearcher": "search.cluster.searcher",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'search.cluster' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
