"""rtes-search search: parse, rank, snippets and facets over a built index."""

from search.backend import SearchBackend, open_searcher
from search.errors import (
    DamagedIndexError, DocumentNotFoundError, IndexNotFoundError, InvalidFilterError, QuerySyntaxError, SearchError,
)
from search.results import Hit, Results, Snippet
from search.searcher import Searcher, default_index_dir

__all__ = [
    "DamagedIndexError",
    "DocumentNotFoundError",
    "Hit",
    "IndexNotFoundError",
    "InvalidFilterError",
    "QuerySyntaxError",
    "Results",
    "SearchBackend",
    "SearchError",
    "Searcher",
    "Snippet",
    "default_index_dir",
    "open_searcher",
]
