"""The Searcher: open an index once, answer many queries.

It resolves the index's current generation, keeps one Whoosh searcher and
its facet sets for its whole life, and returns frozen Results. ``refresh``
switches to a newer generation when a build has replaced the index.
"""

from __future__ import annotations

import os
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.sorting import FieldFacet
from whoosh.query import Term

from indexer.documents import Document
from indexer.storage import current_generation, read_manifest
from search.errors import DocumentNotFoundError, IndexNotFoundError, SearchError
from search.facets import FacetIndex, normalise_filters
from search.query import parse_query
from search.results import Hit, Results
from search.snippets import opening_snippet, snippets_for
from search.thesaurus import expand_query

DEFAULT_INDEX_DIR = "index"
MAX_LIMIT = 100
SORTS = ("relevance", "date")


def default_index_dir() -> Path:
    """``$RTES_SEARCH_INDEX``, else ``index/`` in the working directory."""
    return Path(os.environ.get("RTES_SEARCH_INDEX") or DEFAULT_INDEX_DIR)


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
        self._searcher = self._index.searcher()
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
    ) -> Results:
        """Rank the resources matching ``query`` within ``filters``; one page of hits."""
        if not 1 <= limit <= MAX_LIMIT:
            raise SearchError(f"limit doit être entre 1 et {MAX_LIMIT} (reçu {limit})")
        if page < 1:
            raise SearchError(f"page doit être supérieure ou égale à 1 (reçu {page})")
        if sort not in SORTS:
            raise SearchError(f"tri inconnu : {sort!r} (tris possibles : {', '.join(SORTS)})")
        filters = normalise_filters(filters)
        q, warnings = parse_query(query, self._searcher.schema)
        q, expansions = expand_query(q, self._searcher.schema)  # search/thesaurus.py; matches go to warnings
        allowed = self._facets.allowed(filters, include_private)
        matched = allowed & set(self._searcher.docs_for_query(q))
        browsing = not query.strip()
        by_date = sort == "date" or browsing
        ranked = self._searcher.search(
            q,
            limit=page * limit,
            filter=set(allowed),
            sortedby=FieldFacet("date", reverse=True) if by_date else None,
            terms=not browsing,
        )
        hits = tuple(
            self._hit(ranked[i], browsing)
            for i in range((page - 1) * limit, min(page * limit, len(matched), ranked.scored_length()))
        )
        return Results(
            query=query,
            total=len(matched),
            page=page,
            limit=limit,
            hits=hits,
            facets=self._facets.counts(matched),
            filters=filters,
            sort="date" if by_date else "relevance",
            warnings=warnings + expansions,
        )

    def _hit(self, hit, browsing: bool) -> Hit:
        stored = hit.fields()
        return Hit(
            id=stored["id"],
            title=stored.get("title", ""),
            score=float(hit.score or 0.0),
            snippets=opening_snippet(stored) if browsing else (snippets_for(hit) or opening_snippet(stored)),
            type=stored.get("type", ""),
            year=stored.get("year", ""),
            date=stored.get("date", ""),
            themes=_split(stored.get("theme", "")),
            territories=_split(stored.get("territory", "")),
            private=bool(stored.get("private")),
            url=stored.get("url", ""),
        )

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
