"""The Searcher: open an index once, answer many queries.

It resolves the index's current generation, keeps one Whoosh searcher and
its facet sets for its whole life, and returns frozen Results. ``refresh``
switches to a newer generation when a build has replaced the index.
"""

from __future__ import annotations

import os
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.query import Every
from whoosh.sorting import FieldFacet, MultiFacet, ScoreFacet

from indexer.documents import Document
from indexer.storage import current_generation, read_manifest
from search.errors import DocumentNotFoundError, IndexNotFoundError, SearchError
from search.facets import FacetIndex, normalise_filters
from search import ranking
from search.plan import Plan, plan_search
from search.results import Hit, Results
from search.similar import similar_query
from search.snippets import opening_snippet, query_terms, snippets_for
from search.suggest import completions
from search.vocabulary import Vocabulary

DEFAULT_INDEX_DIR = "index"
MAX_LIMIT = 100
SORTS = ("relevance", "date")


def default_index_dir() -> Path:
    """``$RTES_SEARCH_INDEX``, else ``index/`` in the working directory."""
    return Path(os.environ.get("RTES_SEARCH_INDEX") or DEFAULT_INDEX_DIR)


def _check_page(limit: int, page: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise SearchError(f"limit doit être entre 1 et {MAX_LIMIT} (reçu {limit})")
    if page < 1:
        raise SearchError(f"page doit être supérieure ou égale à 1 (reçu {page})")


def _score(hit) -> float:
    """The relevance of a hit; sorted by date, it is the negated last part of the sort key."""
    return -hit.score[-1] if isinstance(hit.score, tuple) else float(hit.score or 0.0)


def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(",") if v)


class Searcher:
    """Search one index; reuse the object across queries (it is cheap to keep open)."""

    def __init__(self, index_dir: str | os.PathLike | None = None):
        self.index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
        self._generation: Path | None = None
        self._open()

    def _open(self) -> None:
        generation = current_generation(self.index_dir)
        if generation is None:
            raise IndexNotFoundError(f"aucun index dans {self.index_dir} : lancez « rtes-search index »")
        self._index = whoosh_index.open_dir(str(generation))
        self._searcher = self._index.searcher(weighting=ranking.weighting())
        self._facets = FacetIndex(self._searcher)
        self._generation = generation
        self.manifest = read_manifest(generation)

    def refresh(self) -> bool:
        """Reopen if a newer generation is current; True when it did."""
        if current_generation(self.index_dir) == self._generation:
            return False
        old = self._searcher
        self._open()
        old.close()
        return True

    def close(self) -> None:
        self._searcher.close()

    def __enter__(self) -> "Searcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- searching ---------------------------------------------------------

    def search(
        self,
        query: str,
        filters: dict | None = None,
        limit: int = 10,
        page: int = 1,
        sort: str = "relevance",
        include_private: bool = False,
        strict: bool = False,
    ) -> Results:
        """Rank the resources matching ``query`` within ``filters``; one page of hits.

        The query language is described in ``search.query``; what it cannot
        understand becomes a warning, or a ``QuerySyntaxError`` when ``strict``.
        """
        _check_page(limit, page)
        if sort not in SORTS:
            raise SearchError(f"tri inconnu : {sort!r} (tris possibles : {', '.join(SORTS)})")
        filters = normalise_filters(filters)
        plan = plan_search(query or "", self._searcher, self._facets, filters, include_private, strict)
        by_date = sort == "date" or plan.query is None
        hits = self._page(plan, limit, page, by_date)
        return Results(
            query=query,
            total=len(plan.matched),
            page=page,
            limit=limit,
            hits=hits,
            facets=self._facets.counts(plan.matched),
            filters=plan.filters,
            sort="date" if by_date else "relevance",
            suggestion=plan.suggestion,
            warnings=tuple(plan.warnings),
            corrections=tuple(plan.corrections),
        )

    def _ranked(self, plan: Plan, wanted: int, by_date: bool) -> list[tuple[int, float]]:
        """The first ``wanted`` ``(docnum, score)`` of ``plan``: by score, or newest first.

        Date order breaks ties by relevance; equal scores keep index order.
        """
        if not by_date:
            return plan.best(wanted)
        if not plan.matched:  # Whoosh reads an empty filter as no filter at all
            return []
        results = self._searcher.search(
            plan.query if plan.query is not None else Every(),
            limit=wanted,
            filter=set(plan.matched),
            sortedby=MultiFacet([FieldFacet("date", reverse=True), ScoreFacet()]),
        )
        return [(results[i].docnum, _score(results[i])) for i in range(results.scored_length())]

    def _page(self, plan: Plan, limit: int, page: int, by_date: bool) -> tuple[Hit, ...]:
        """Hits ``(page - 1) * limit`` to ``page * limit``, with their snippets."""
        ranked = self._ranked(plan, page * limit, by_date)[(page - 1) * limit:]
        terms, schema = query_terms(plan.query), self._searcher.schema
        hits = []
        for docnum, score in ranked:
            stored = self._searcher.stored_fields(docnum)
            hits.append(self._hit(stored, score, snippets_for(stored, terms, schema)))
        return tuple(hits)

    def ranking(self, query: str, depth: int = 100, include_private: bool = False) -> list[tuple[str, float]]:
        """``(id, score)`` of the first ``depth`` hits, ranked exactly as ``search`` ranks.

        For evaluation runs: no snippets, no facet counts.
        """
        plan = plan_search(query or "", self._searcher, self._facets, {}, include_private, False)
        ranked = self._ranked(plan, depth, plan.query is None)
        return [(self._searcher.stored_fields(docnum)["id"], score) for docnum, score in ranked]

    def similar(self, doc_id: str, limit: int = 10, include_private: bool = False) -> Results:
        """Other resources sharing the key terms of ``doc_id`` (``more like this``)."""
        _check_page(limit, 1)
        docnum = self._docnum(doc_id, include_private)
        query = similar_query(self._searcher, self._searcher.stored_fields(docnum))
        allowed = self._facets.visible_docs(include_private) - {docnum}
        found = ranking.scores(self._searcher, query) if query is not None else {}
        plan = Plan(query, frozenset(), scores={d: s for d, s in found.items() if d in allowed})
        plan.matched = frozenset(plan.scores)
        return Results(
            query=doc_id,
            total=len(plan.matched),
            page=1,
            limit=limit,
            hits=self._page(plan, limit, 1, False),
            facets=self._facets.counts(plan.matched),
        )

    def suggest(self, prefix: str, limit: int = 10, include_private: bool = False) -> list[str]:
        """Completions of ``prefix`` for a search box: visible words and titles, best first."""
        _check_page(limit, 1)
        visible = self._facets.visible_docs(include_private)
        return completions(prefix or "", self._searcher, Vocabulary(self._searcher, visible), visible, limit)

    def _hit(self, stored: dict, score, snippets) -> Hit:
        return Hit(
            id=stored["id"],
            title=stored.get("title", ""),
            score=score,
            snippets=snippets or opening_snippet(stored),
            type=stored.get("type", ""),
            year=stored.get("year", ""),
            date=stored.get("date", ""),
            themes=_split(stored.get("theme", "")),
            territories=_split(stored.get("territory", "")),
            private=bool(stored.get("private")),
            url=stored.get("url", ""),
        )

    def _docnum(self, doc_id: str, include_private: bool) -> int:
        docnum = self._searcher.document_number(id=doc_id) if isinstance(doc_id, str) and doc_id else None
        if docnum is None or (docnum not in self._facets.visible_docs(include_private)):
            raise DocumentNotFoundError(f"aucune ressource avec l'identifiant {doc_id!r}")
        return docnum

    # -- documents, facets, stats -----------------------------------------

    def document(self, doc_id: str, include_private: bool = False) -> Document:
        """The stored resource ``doc_id``; private ones only with ``include_private``."""
        stored = self._searcher.document(id=doc_id)
        if stored is None or (stored.get("private") and not include_private):
            raise DocumentNotFoundError(f"aucune ressource avec l'identifiant {doc_id!r}")
        return Document(
            id=stored["id"],
            title=stored.get("title", ""),
            body=stored.get("body", ""),
            summary=stored.get("summary", ""),
            collection=stored.get("collection", ""),
            private=bool(stored.get("private")),
            source=stored.get("source", ""),
            line=stored.get("line", 0),
            url=stored.get("url", ""),
            type=stored.get("type", ""),
            year=stored.get("year", ""),
            date=stored.get("date", ""),
            themes=_split(stored.get("theme", "")),
            territories=_split(stored.get("territory", "")),
        )

    def facets(self, include_private: bool = False) -> dict[str, dict[str, int]]:
        """Every facet value with its count over the resources the caller may see."""
        return self._facets.counts(self._facets.visible_docs(include_private))

    def stats(self, include_private: bool = False) -> dict:
        """Size and provenance of the index, counting only what the caller may see."""
        visible = self._facets.visible_docs(include_private)
        size = sum(p.stat().st_size for p in self._generation.iterdir() if p.is_file())
        return {
            "index_dir": str(self.index_dir),
            "generation": self._generation.name,
            "documents": len(visible),
            "built_at": self.manifest.get("built_at"),
            "analyzer_version": self.manifest.get("analyzer_version"),
            "sources": self.manifest.get("sources", []),
            "size_bytes": size,
            "facet_values": {name: len(values) for name, values in self.facets(include_private).items()},
        }
