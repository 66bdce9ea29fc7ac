"""Frozen result values and their ``to_dict()``: the JSON contract.

Snippets are plain text with highlight ranges; formatting (ANSI, HTML) is
added at the edges, never here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Mapping

from indexer.documents import Document, stored_values
from search.limits import past_the_last_page


@dataclass(frozen=True)
class Snippet:
    """A fragment of a stored field, with the [start, end) ranges to highlight."""

    field: str
    text: str
    highlights: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict:
        return {"field": self.field, "text": self.text, "highlights": [list(h) for h in self.highlights]}


@dataclass(frozen=True)
class Hit:
    """One ranked resource."""

    id: str
    title: str
    score: float
    snippets: tuple[Snippet, ...]
    type: str
    year: str
    date: str
    themes: tuple[str, ...]
    territories: tuple[str, ...]
    private: bool
    url: str
    indexed_at: str = ""   # when the resource was first indexed (ISO 8601 UTC)

    @classmethod
    def from_stored(cls, stored: Mapping, score: float, snippets: tuple[Snippet, ...]) -> "Hit":
        """The hit of a resource from its stored fields, in either backend (as ``Document.from_stored``)."""
        return cls(
            id=stored["id"], title=stored.get("title", ""), score=score, snippets=snippets,
            type=stored.get("type", ""), year=stored.get("year", ""), date=stored.get("date", ""),
            themes=stored_values(stored.get("theme")), territories=stored_values(stored.get("territory")),
            private=bool(stored.get("private")), url=stored.get("url", ""), indexed_at=stored.get("indexed_at", ""),
        )

    @property
    def snippet(self) -> str:
        """All fragments as one plain string, separated by an ellipsis."""
        return " … ".join(s.text for s in self.snippets)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "snippets": [s.to_dict() for s in self.snippets],
            "type": self.type,
            "year": self.year,
            "date": self.date,
            "themes": list(self.themes),
            "territories": list(self.territories),
            "private": self.private,
            "url": self.url,
            "indexed_at": self.indexed_at,
        }


@dataclass(frozen=True)
class Results:
    """One page of hits, the total, and facet counts over the whole result set.

    ``corrections`` are the typed words searched through closer spellings
    (``search.typos.Correction``); ``suggestion`` is the query as it was
    probably meant ("did you mean").
    """

    query: str
    total: int
    page: int
    limit: int
    hits: tuple[Hit, ...]
    facets: dict[str, dict[str, int]]
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    suggestion: str | None = None
    warnings: tuple[str, ...] = ()
    corrections: tuple = ()
    # The option filters as the search applied them: each value resolved to the stored values
    # the caller may see (``conference`` → ``Conférence en ligne``), else as typed. Faces show
    # these as ticked; not part of the JSON (``filters`` echoes options and query prefixes).
    selected: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    @classmethod
    def planned(cls, query: str, plan, *, total: int, page: int, limit: int, hits: tuple[Hit, ...],
                facets: dict, by_date: bool, warnings: list[str]) -> "Results":
        """One page of a planned search (``search.plan.Plan``), as every backend answers it: what the
        plan resolved (filters, suggestion, corrections, ticked values) and its warnings, then the
        backend's own ``warnings``, then the one for a page past the last."""
        return cls(
            query=query, total=total, page=page, limit=limit, hits=hits, facets=facets, filters=plan.filters,
            sort="date" if by_date else "relevance", suggestion=plan.suggestion,
            warnings=(*plan.warnings, *warnings, *past_the_last_page(page, total, limit)),
            corrections=tuple(plan.corrections), selected=plan.shown,
        )

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "limit": self.limit,
            "sort": self.sort,
            "filters": {k: list(v) for k, v in self.filters.items()},
            "hits": [h.to_dict() for h in self.hits],
            "facets": self.facets,
            "suggestion": self.suggestion,
            "warnings": list(self.warnings),
            "corrections": [c.to_dict() for c in self.corrections],
        }


def public_document(doc: Document) -> dict:
    """A resource as the web shows it: ``Document.to_dict()`` without what only the operator should see.

    The line a record holds in its source file would let a gap between two
    public records reveal a hidden one, and the source's folder is the
    server's: ``source`` is the file's name alone (``rtes-ressources-export.txt``,
    or ``api`` for a pushed document), and ``line`` is left out.

    >>> public = public_document(Document("x", "T", source="/srv/rtes/corpus/export.txt", line=12))
    >>> public["source"], "line" in public
    ('export.txt', False)
    """
    data = doc.to_dict()
    del data["line"]
    data["source"] = PurePath(doc.source).name
    return data
