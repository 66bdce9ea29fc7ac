"""Searching a Typesense cluster, and running a local one.

- ``ClusterSearcher``: the search contract (``search.backend.SearchBackend``)
  over a collection of a cluster, ``typesense://KEY@HOST:PORT[,…]/ALIAS``;
- ``LocalCluster``: N nodes of the packaged Typesense server on 127.0.0.1,
  started and stopped by pid (``rtes-search cluster start|stop``, the tests);
- ``cluster_status``: which node leads and how many documents each holds.
"""

from search.cluster.launcher import DEFAULT_COLLECTION, LocalCluster, LocalNode
from search.cluster.probe import ClusterStatus, NodeProbe, cluster_status, probe_node
from search.cluster.reader import ClusterSearchError, ClusterUnavailableError
from search.cluster.searcher import ClusterSearcher

__all__ = [
    "DEFAULT_COLLECTION",
    "ClusterSearchError",
    "ClusterSearcher",
    "ClusterStatus",
    "ClusterUnavailableError",
    "LocalCluster",
    "LocalNode",
    "NodeProbe",
    "cluster_status",
    "probe_node",
]
