"""Errors of the indexer, with French messages a user can act on."""


class IndexerError(Exception):
    """Indexing could not be done (bad path, nothing indexable, unwritable dir)."""


class IndexLockedError(IndexerError):
    """Another process is writing this index; its lock is held."""
