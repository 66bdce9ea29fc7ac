"""The Searcher: the local backend, one open index answering many queries.

It resolves the index's current generation and keeps, for its whole
life, one Whoosh searcher (stored fields, positions, the term dictionary)
and the arrays read from it (``search.local.postings``, ``search.local.facets``).
A search is then: plan (``search.plan``, shared with the cluster backend)
→ masks of what the caller may see and asked for → array ranking
(``search.ranking``) → facet counts (one ``bincount`` per facet) → the
page's hits, whose stored fields and snippets alone are read from Whoosh.
``refresh`` switches to a newer generation when a build has replaced it,
keeping what was read from the segments both share (``search.local.segments``).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from indexer.documents import Document
from indexer.errors import IndexDamagedError
from indexer.leases import open_leased
from indexer.meaning import available as meaning_available
from indexer.storage import find_current
from search.backend import default_index_dir
from search.budget import DEFAULT_BUDGET, Budget
from search.errors import DamagedIndexError, DocumentNotFoundError, IndexNotFoundError
from search.facet_values import normalise_filters
from search.local.dates import date_keys
from search.local.facets import FacetArrays
from search.plan import Plan, plan_search
from search.matching import Matches, Matching, coverage
from search.local.postings import Postings
from search.ranking import B, K1, Evaluator
from search.limits import MAX_HITS, check_page, check_sort
from search.results import Hit, Results
from search.similar import similar_query
from search.snippets import opening_snippet, snippets_for
from search.suggest import completions
from search.local.view import LocalView
from search.meaning import DEPTH as MEANING_DEPTH, MeaningVectors, rerank


class Searcher:
    """Search one index; reuse the object across queries (it is cheap to keep open)."""

    def __init__(self, index_dir: str | os.PathLike | None = None, time_budget: float | None = DEFAULT_BUDGET,
                 meaning: bool = True):
        """``time_budget``: seconds a search may take before it returns what it has (``search.budget``);
        ``meaning``: re-order the first hits by meaning when the index has meaning vectors and the
        encoder is installed (``search.meaning``); False ranks by the words alone."""
        self.index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
        self.time_budget = time_budget
        self.meaning = meaning
        self._generation: Path | None = None
        self._open()

    def _open(self) -> None:
        """Open the current generation, checked (``indexer.storage``), and swap it in only once
        everything is open: a failure leaves the searcher as it was. A lease keeps the generation
        on disk while this searcher reads it (``indexer.leases``).

        Each block a search reads later is checked against its checksum when
        first read; a damaged one raises ``DamagedIndexError`` (which every
        face answers in French) from wherever Whoosh was reading it.
        """
        try:
            opened = open_leased(self.index_dir, damage=DamagedIndexError)
        except IndexDamagedError as exc:
            raise DamagedIndexError(str(exc)) from exc
        if opened is None:
            raise IndexNotFoundError(f"aucun index dans {self.index_dir} : lancez « rtes-search index »")
        self._lease, generation, index, manifest = opened
        searcher = index.searcher()
        postings = Postings(searcher, K1, B, carried=self._postings.kept if self._generation else None)
        facets = FacetArrays(postings)
        self._index, self._searcher, self._postings, self._facets = index, searcher, postings, facets
        self._evaluator = Evaluator(postings, facets)
        self._matching = Matching(self._evaluator, facets, self.date_keys)
        self._views: dict[bool, LocalView] = {}
        self._stats: dict[bool, dict] = {}
        self._date_keys: np.ndarray | None = None
        self._vectors: MeaningVectors | None = None
        self._generation, self.manifest = generation, manifest

    def refresh(self) -> bool:
        """Reopen if a newer generation is current; True when it did."""
        try:
            current = find_current(self.index_dir)
        except IndexDamagedError as exc:
            raise DamagedIndexError(str(exc)) from exc
        if current == self._generation:
            return False
        old, lease = self._searcher, self._lease
        self._open()
        old.close()
        lease.release()
        return True

    def close(self) -> None:
        self._searcher.close()
        self._lease.release()

    def __enter__(self) -> "Searcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def view(self, include_private: bool = False) -> LocalView:
        """What the planner may know of this index for a caller (``search.plan.IndexView``)."""
        if include_private not in self._views:
            self._views[include_private] = LocalView(self._searcher, self._evaluator, include_private)
        return self._views[include_private]

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
        disjunctive: bool = False,
    ) -> Results:
        """Rank the resources matching ``query`` within ``filters``; one page of hits.

        The query language is described in ``search.query``; what it cannot
        understand becomes a warning, or a ``QuerySyntaxError`` when
        ``strict``. With ``disjunctive``, the counts of a facet that has
        filter values ignore that facet's own filter (values of one facet
        are OR-ed: the other values stay on offer with what they would add).
        """
        check_page(limit, page)
        check_sort(sort)
        budget = Budget(self.time_budget)
        plan = plan_search(query or "", self.view(include_private), normalise_filters(filters), strict, budget)
        found = self._match(plan, include_private)
        by_date = sort == "date" or plan.browse
        hits = self._page(query or "", plan, found, limit, page, by_date, budget)
        return Results.planned(
            query, plan, total=found.total, page=page, limit=limit, hits=hits,
            facets=self._matching.counts(plan, found, disjunctive), by_date=by_date,
            warnings=coverage(found) + budget.warning(),
        )

    def _match(self, plan: Plan, include_private: bool) -> Matches:
        """Every document the caller may see that the plan matches (``search.matching``)."""
        return self._matching.match(plan, self._facets.visible(include_private))

    def _page(self, query: str, plan: Plan, found: Matches, limit: int, page: int, by_date: bool,
              budget: Budget) -> tuple[Hit, ...]:
        """Hits ``(page - 1) * limit`` to ``page * limit``, with their snippets (the opening of their
        text once the time budget is spent)."""
        ranked = self._ordered(query, found, page * limit, by_date)[(page - 1) * limit:]
        highlight, schema = plan.highlight(), self._searcher.schema
        hits = []
        for docnum, score in ranked:
            stored = self._searcher.stored_fields(docnum)
            marked = bool(plan.clauses) and not budget.spent()
            budget.cut |= bool(plan.clauses) and not marked
            hits.append(self._hit(stored, score, snippets_for(stored, highlight, schema) if marked else ()))
        return tuple(hits)

    def date_keys(self) -> np.ndarray:
        """``int[size]``: each document's rank in date order (its date, else when first indexed; -1: neither),
        once per generation (``search.local.dates``)."""
        if self._date_keys is None:
            self._date_keys = date_keys(self._postings)
        return self._date_keys

    def hits(
        self, query: str, filters: dict | None = None, limit: int = MAX_HITS, sort: str = "relevance",
        include_private: bool = False, strict: bool = False,
    ) -> tuple[Hit, ...]:
        """The first ``limit`` (at most ``MAX_HITS``) hits in ``search``'s order, without snippets nor
        facet counts: one ranking for a whole export (CSV), not a search per page."""
        check_page(limit, 1, MAX_HITS)
        check_sort(sort)
        plan = plan_search(query or "", self.view(include_private), normalise_filters(filters), strict)
        ranked = self._ordered(query or "", self._match(plan, include_private), limit, sort == "date" or plan.browse)
        return tuple(self._hit(self._searcher.stored_fields(doc), score, (), opening=False) for doc, score in ranked)

    def ranking(self, query: str, depth: int = 100, include_private: bool = False) -> list[tuple[str, float]]:
        """``(id, score)`` of the first ``depth`` hits, ranked exactly as ``search`` ranks.

        For evaluation runs: no snippets, no facet counts.
        """
        _, ranked = self.ranked(query, depth, include_private)
        return [(self._searcher.stored_fields(docnum)["id"], score) for docnum, score in ranked]

    def ranked(self, query: str, depth: int, include_private: bool = False) -> tuple[Plan, list[tuple[int, float]]]:
        """The plan of ``query`` and its first ``depth`` ``(docnum, score)``: the ranking alone."""
        plan = plan_search(query or "", self.view(include_private), {}, False)
        return plan, self._ordered(query or "", self._match(plan, include_private), depth, plan.browse)

    def _ordered(self, query: str, found: Matches, wanted: int, by_date: bool) -> list[tuple[int, float]]:
        """The first ``wanted`` ``(docnum, score)`` (``search.matching``), the first ``search.meaning.DEPTH``
        re-ordered by meaning when sorted by relevance and the index has meaning vectors."""
        vectors = self.meaning_vectors() if found.ranking is not None and not by_date and query.strip() else None
        if vectors is None:
            return self._matching.ordered(found, wanted, by_date)
        return rerank(query, self._matching.ordered(found, max(wanted, MEANING_DEPTH), by_date), vectors)[:wanted]

    def meaning_vectors(self) -> MeaningVectors | None:
        """The index's meaning vectors, read on first use; None when it has none, the encoder (the
        ``[meaning]`` extra) is not installed, or this searcher was opened with ``meaning=False``."""
        if not (self.meaning and self.manifest.get("meaning") and meaning_available()):
            return None
        if self._vectors is None:
            self._vectors = MeaningVectors(self._postings, self._index.storage)
        return self._vectors if self._vectors.complete else None

    def similar(self, doc_id: str, limit: int = 10, page: int = 1, include_private: bool = False) -> Results:
        """Other resources sharing the key terms of ``doc_id`` (``more like this``)."""
        check_page(limit, page)
        docnum = self._docnum(doc_id, include_private)
        query = similar_query(self._searcher, self._searcher.stored_fields(docnum))
        plan = Plan(clauses=[query] if query is not None else [], searchable=query is not None)
        allowed = self._facets.visible(include_private).copy()
        allowed[docnum] = False
        found = self._matching.match(plan, allowed)
        total = found.total
        return Results(
            query=doc_id,
            total=total,
            page=page,
            limit=limit,
            hits=self._page("", plan, found, limit, page, False, Budget(self.time_budget)),
            facets=self._facets.counts(found.mask),
        )

    def suggest(self, prefix: str, limit: int = 10, include_private: bool = False) -> list[str]:
        """Completions of ``prefix`` for a search box: visible words and titles, best first."""
        check_page(limit, 1)
        return completions(prefix or "", self.view(include_private), limit)

    def _hit(self, stored: dict, score, snippets, opening: bool = True) -> Hit:
        """A hit of ``stored``; without ``snippets``, the opening of its text (unless ``opening`` is off)."""
        return Hit.from_stored(stored, score, snippets or (opening_snippet(stored) if opening else ()))

    def _docnum(self, doc_id: str, include_private: bool) -> int:
        """The document number of a visible ``doc_id``; unknown and hidden ids take the same path."""
        docnum = self._searcher.document_number(id=doc_id) if isinstance(doc_id, str) and doc_id else None
        if docnum is None or not self._facets.visible(include_private)[docnum]:
            raise DocumentNotFoundError(f"aucune ressource avec l'identifiant {doc_id!r}")
        return docnum

    # -- documents, facets, stats -----------------------------------------

    def document(self, doc_id: str, include_private: bool = False) -> Document:
        """The stored resource ``doc_id``; private ones only with ``include_private``."""
        return Document.from_stored(self._searcher.stored_fields(self._docnum(doc_id, include_private)))

    def facets(self, include_private: bool = False) -> dict[str, dict[str, int]]:
        """Every facet value with its count over the resources the caller may see."""
        return self._facets.counts(self._facets.visible(include_private))

    def stats(self, include_private: bool = False) -> dict:
        """Size and provenance of the index, counting only what the caller may see.

        Computed once per generation and caller: ``/health`` asks for it on every probe.
        """
        if include_private not in self._stats:
            self._stats[include_private] = self._measure(include_private)
        return dict(self._stats[include_private])

    def _measure(self, include_private: bool) -> dict:
        visible = self._facets.visible(include_private)
        size = sum(p.stat().st_size for p in self._generation.iterdir() if p.is_file())
        return {
            "index_dir": str(self.index_dir),
            "generation": self._generation.name,
            "documents": int(visible.sum()),
            "built_at": self.manifest.get("built_at"),
            "analyzer_version": self.manifest.get("analyzer_version"),
            "sources": self.manifest.get("sources", []),
            "size_bytes": size,
            "facet_values": {name: len(values) for name, values in self.facets(include_private).items()},
        }
