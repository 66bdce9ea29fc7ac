"""Errors of the indexer, with French messages a user can act on."""


class IndexerError(Exception):
    """Indexing could not be done (bad path, nothing indexable, unwritable dir)."""


class IndexLockedError(IndexerError):
    """Another process is writing this index; its lock is held."""


class IndexDamagedError(IndexerError):
    """The index on disk cannot be read (truncated or garbled file, missing manifest or link).

    The message names the folder, what is wrong, and the command that
    rebuilds it; ``index --rebuild`` never reads the damaged generation.
    """


class IndexUnwritableError(IndexerError):
    """The index folder cannot be written (permissions, read-only or full disk)."""


class IndexOutOfDateError(IndexerError):
    """The index is older than its sources but cannot be updated here: it is still searchable."""
