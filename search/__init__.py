"""rtes-search search: parse, plan, rank, snippets and facets over a local index or a cluster.

The names below are exported lazily (PEP 562), so that importing one
backend never loads the other: ``import search.cluster`` leaves
``search.local`` (and Whoosh's readers) unloaded, and ``rtes-search --help``
loads neither.
"""

from importlib import import_module

_EXPORTS = {
    "DamagedIndexError": "search.errors",
    "DocumentNotFoundError": "search.errors",
    "IndexNotFoundError": "search.errors",
    "InvalidFilterError": "search.errors",
    "QuerySyntaxError": "search.errors",
    "SearchError": "search.errors",
    "Hit": "search.results",
    "Results": "search.results",
    "Snippet": "search.results",
    "SearchBackend": "search.backend",
    "default_index_dir": "search.backend",
    "open_searcher": "search.backend",
    "Searcher": "search.local",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'search' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
