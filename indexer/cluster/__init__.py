"""Writing to a Typesense cluster: its address, its connection, its collection, the indexing sink.

``indexer`` cannot import ``search``, and both sides need the address
parser and the connection, so they live here; the search side
(``search.cluster``) imports them. Nothing here imports the ``typesense``
client until a connection is opened: without the ``[cluster]`` extra, only
asking for a cluster fails, with a French message saying how to install it.
"""

from indexer.cluster.address import ClusterAddress, parse_cluster_url
from indexer.cluster.client import Connection, cluster_errors, retrying
from indexer.cluster.errors import (
    ClusterAddressError, ClusterAuthError, ClusterError, ClusterMissingError, ClusterUnavailableError,
)
from indexer.cluster.run import index_cluster
from indexer.cluster.schema import collection_schema, to_cluster
from indexer.cluster.sink import ClusterSink

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
