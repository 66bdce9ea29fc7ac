"""Writing to a Typesense cluster: its address, its collection schema, its connection.

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
from indexer.cluster.schema import collection_schema, stored_document, to_cluster

__all__ = [
    "ClusterAddress",
    "ClusterAddressError",
    "ClusterAuthError",
    "ClusterError",
    "ClusterMissingError",
    "ClusterUnavailableError",
    "Connection",
    "cluster_errors",
    "collection_schema",
    "parse_cluster_url",
    "retrying",
    "stored_document",
    "to_cluster",
]
