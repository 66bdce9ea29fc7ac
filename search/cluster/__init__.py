"""Searching a Typesense cluster, and running a local one.

- ``LocalCluster``: N nodes of the packaged Typesense server on 127.0.0.1,
  started and stopped by pid (``rtes-search cluster start|stop``, the tests);
- ``cluster_status``: which node leads and how many documents each holds.
"""

from search.cluster.local import DEFAULT_COLLECTION, LocalCluster, LocalNode
from search.cluster.probe import ClusterStatus, NodeProbe, cluster_status, probe_node

__all__ = [
    "DEFAULT_COLLECTION",
    "ClusterStatus",
    "LocalCluster",
    "LocalNode",
    "NodeProbe",
    "cluster_status",
    "probe_node",
]
