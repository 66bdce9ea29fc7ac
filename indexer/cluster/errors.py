"""Errors of talking to a Typesense cluster, with French messages a user can act on.

They are ``IndexerError``s so that ``rtes-search index --cluster`` reports
them like any indexing failure; the search side turns them into its own
``SearchError`` (``search.cluster``).
"""

from indexer.errors import IndexerError


class ClusterError(IndexerError):
    """The cluster could not do what was asked; the message says why."""


class ClusterAddressError(ClusterError, ValueError):
    """A malformed ``typesense://`` address."""


class ClusterAuthError(ClusterError):
    """The cluster refused the API key."""


class ClusterUnavailableError(ClusterError):
    """No node answered (unreachable, or no leader while one is being elected)."""


class ClusterMissingError(ClusterError):
    """The client or the packaged server is not installed (the ``[cluster]`` extra)."""
