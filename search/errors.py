"""Errors of the search layer, with French messages a user can act on."""


class SearchError(Exception):
    """A search could not run; the message says why, in French."""


class IndexNotFoundError(SearchError):
    """No built index at the given place."""


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
