"""Errors of the search layer, with French messages a user can act on."""


class SearchError(Exception):
    """A search could not run; the message says why, in French."""


class IndexNotFoundError(SearchError):
    """No built index at the given place."""


class DamagedIndexError(IndexNotFoundError):
    """The index is there but cannot be read; the message gives the command that rebuilds it.

    A kind of "no index" for the faces: nothing can be searched until it is rebuilt.
    """


class DocumentNotFoundError(SearchError):
    """No document with that id (or not one the caller may see)."""


class InvalidFilterError(SearchError, ValueError):
    """A filter names an unknown facet or has an unusable value; ``param`` names the filter."""

    def __init__(self, message: str, param: str | None = None):
        super().__init__(message)
        self.param = param


class QuerySyntaxError(SearchError, ValueError):
    """In strict mode, a query the parser could not fully understand; ``position`` is 0-based."""

    def __init__(self, message: str, position: int):
        super().__init__(message)
        self.position = position
