"""One search contract, two backends: a local Whoosh index or a Typesense cluster.

The faces (CLI, HTTP, evaluation) hold a ``SearchBackend`` and never ask
which one it is. ``open_searcher(target)`` chooses from the target:

- a folder (``index/``, ``Path("/srv/rtes/index")``): ``search.Searcher``,
  the local index;
- ``typesense://API_KEY@HOST:PORT[,HOST:PORT…]/COLLECTION`` (``http``) or
  ``typesenses://…`` (TLS): ``search.cluster.ClusterSearcher``, imported
  only then (it needs the ``[cluster]`` extra).

What is not engine-specific is shared code both backends call, never
copied: parsing (``search.query``), planning with corrections, the
thesaurus and facet-value resolution (``search.plan``), snippets
(``search.snippets``) and the JSON contract (``search.results``). Private
resources are excluded by both before anything is counted, ranked or
suggested; a private id is "not found" without ``include_private``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol, runtime_checkable

from indexer.documents import Document
from search.budget import DEFAULT_BUDGET
from search.results import Hit, Results

CLUSTER_SCHEMES = ("typesense://", "typesenses://")
DEFAULT_INDEX_DIR = "index"


def default_index_dir() -> Path:
    """``$RTES_SEARCH_INDEX``, else ``index/`` in the working directory."""
    return Path(os.environ.get("RTES_SEARCH_INDEX") or DEFAULT_INDEX_DIR)


@runtime_checkable
class SearchBackend(Protocol):
    """What every backend answers; ``search.Searcher`` is the reference.

    Errors are ``search.errors.SearchError`` subclasses with French
    messages (``IndexNotFoundError`` when there is nothing to search,
    ``DocumentNotFoundError``, ``InvalidFilterError``, ``QuerySyntaxError``).
    """

    def search(
        self, query: str, filters: dict | None = None, limit: int = 10, page: int = 1,
        sort: str = "relevance", include_private: bool = False, strict: bool = False, disjunctive: bool = False,
    ) -> Results:
        """One page of ranked hits with snippets, facet counts over every match, warnings.

        ``disjunctive``: the counts of a facet with filter values ignore that facet's own filter.
        """

    def hits(
        self, query: str, filters: dict | None = None, limit: int = 1000, sort: str = "relevance",
        include_private: bool = False, strict: bool = False,
    ) -> tuple[Hit, ...]:
        """The first ``limit`` hits in ``search``'s order, without snippets nor counts (exports)."""

    def ranking(self, query: str, depth: int = 100, include_private: bool = False) -> list[tuple[str, float]]:
        """``(id, score)`` of the first ``depth`` hits in ``search``'s order (for evaluation)."""

    def document(self, doc_id: str, include_private: bool = False) -> Document:
        """The stored resource; ``DocumentNotFoundError`` for unknown and hidden private ids alike."""

    def similar(self, doc_id: str, limit: int = 10, page: int = 1, include_private: bool = False) -> Results:
        """Other visible resources sharing the key terms of ``doc_id``."""

    def facets(self, include_private: bool = False) -> dict[str, dict[str, int]]:
        """Every facet value with its count over what the caller may see."""

    def stats(self, include_private: bool = False) -> dict:
        """Size and provenance of what is searched, counting what the caller may see."""

    def suggest(self, prefix: str, limit: int = 10, include_private: bool = False) -> list[str]:
        """Completions for a search box."""

    def refresh(self) -> bool:
        """Pick up a rebuilt index or collection; True when something changed."""

    def close(self) -> None:
        """Release files, connections and caches."""

    def __enter__(self) -> "SearchBackend": ...

    def __exit__(self, *exc) -> None: ...


def is_cluster(target: str | os.PathLike | None) -> bool:
    """Whether ``target`` names a Typesense cluster rather than an index folder."""
    return isinstance(target, str) and target.startswith(CLUSTER_SCHEMES)


def open_searcher(target: str | os.PathLike | None = None, time_budget: float | None = DEFAULT_BUDGET) -> SearchBackend:
    """The backend for ``target``: a cluster address, else an index folder (default: ``default_index_dir()``).

    ``time_budget``: the seconds a local search may take before it returns what it has
    (``search.budget``); a cluster bounds its own searches.
    """
    if is_cluster(target):
        from search.cluster import ClusterSearcher  # the [cluster] extra, only when asked for

        return ClusterSearcher(target)
    from search.local import Searcher

    return Searcher(target, time_budget)
