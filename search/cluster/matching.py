"""A plan evaluated exactly over documents fetched from the cluster: what matches, in which order.

The fetched documents become postings (``search.cluster.candidates``) and
the local ranking code runs over them (``search.ranking``): required
parts, exclusions, option filters, clauses ranked by BM25F with
coordination and proximity. Counting matches is Typesense's job when
there are more of them than one fetch brings (``search.cluster.searcher``);
over a complete fetch this module counts too, exactly as the local index.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexer.schema import FACET_FIELDS
from search.cluster.candidates import CandidateFacets, CandidatePostings, wanted_terms
from search.facets import _count_order, _year_order
from search.plan import Plan
from search.ranking import Evaluator, Ranking, rank


def plan_terms(plan: Plan) -> dict[str, set[str]]:
    """Every (field, term) a plan may score or test, per field."""
    return wanted_terms([*plan.clauses, *plan.pairs, *plan.required, plan.excluded])


@dataclass
class Matches:
    """Over fetched documents: those the plan matches (``mask``), and before the option filters
    (``unfiltered``); with clauses, their ``ranking`` and the ``rows`` of it passing every filter."""

    mask: np.ndarray
    unfiltered: np.ndarray
    ranking: Ranking | None = None
    rows: np.ndarray | None = None


class Fetched:
    """Documents fetched for one plan (``hits``: Typesense documents), ready to be evaluated."""

    def __init__(self, hits: list[dict], plan: Plan, statistics):
        self.hits = hits
        self.size = len(hits)
        self.facets = CandidateFacets(hits)
        self.evaluator = Evaluator(CandidatePostings(hits, plan_terms(plan), statistics), self.facets)

    def _mask(self, docs: np.ndarray) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[docs] = True
        return mask

    def selected(self, plan: Plan, leave_out: str | None = None) -> np.ndarray:
        """The documents passing every option filter (but ``leave_out``'s)."""
        chosen = np.ones(self.size, dtype=bool)
        for name, facet in plan.selected.items():
            if name != leave_out:
                chosen &= self.facets.mask(name, facet.values)
        return chosen

    def match(self, plan: Plan) -> Matches:
        """What the plan matches among these documents, ranked when it has clauses."""
        base = np.full(self.size, plan.searchable, dtype=bool)
        for node in plan.required:
            base &= self._mask(self.evaluator.evaluate(node, base).docs)
        if plan.excluded is not None:
            base &= ~self._mask(self.evaluator.evaluate(plan.excluded, base).docs)
        selected = self.selected(plan)
        if plan.browse:
            return Matches(base & selected, base)
        ranking = rank(self.evaluator, plan.clauses, plan.pairs, base)
        rows = np.flatnonzero(selected[ranking.docs])
        return Matches(self._mask(ranking.docs[rows]), self._mask(ranking.docs), ranking, rows)

    def ordered(self, found: Matches, wanted: int, by_date: bool) -> list[tuple[int, float]]:
        """The first ``wanted`` ``(doc, score)``: by score, or newest first with ties by score
        (documents without words: newest first, ties in fetched order)."""
        keys = np.array([h.get("date_key", 0) for h in self.hits], dtype=np.int64)
        if found.ranking is None:
            docs = np.flatnonzero(found.mask)
            order = np.lexsort((docs, -keys[docs]))[:wanted]
            return [(int(d), 0.0) for d in docs[order]]
        ranking, rows = found.ranking, found.rows
        if not by_date:
            return ranking.best(wanted, rows)
        ranked: list[tuple[int, float]] = []
        row_keys = keys[ranking.docs[rows]]
        for key in np.unique(row_keys)[::-1]:
            ranked += ranking.best(wanted - len(ranked), rows[row_keys == key])
            if len(ranked) >= wanted:
                break
        return ranked

    def counts(self, plan: Plan, found: Matches, disjunctive: bool) -> dict[str, dict[str, int]]:
        """Facet counts over the matches, ordered as the local index orders them."""
        counts = ordered_counts(self.facets.counts(found.mask, FACET_FIELDS))
        if disjunctive:
            for name in plan.selected:
                others = found.unfiltered & self.selected(plan, leave_out=name)
                counts[name] = ordered_counts(self.facets.counts(others, (name,)))[name]
        return counts


def ordered_counts(counts: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Years newest first, other values by count then name; zero counts left out."""
    return {
        field: dict(sorted(((v, n) for v, n in values.items() if n), key=_year_order if field == "year" else _count_order))
        for field, values in counts.items()
    }


def coverage(every: int, total: int, clauses: int, best: int) -> list[str]:
    """Say when some matches lack some words: ``every`` have them all, ``best`` the most any has."""
    if clauses < 2 or every == total or not total:
        return []
    if every:
        return [f"{every} ressource(s) avec tous les termes, {total - every} avec une partie d'entre eux"]
    return [f"aucune ressource ne contient tous les termes : au mieux {best} sur {clauses}"]


def match_coverage(found: Matches) -> tuple[int, int]:
    """``(every, best)``: matches with every clause, and the most clauses a match has."""
    if found.ranking is None or not len(found.rows):
        return 0, 0
    matched = found.ranking.matched[found.rows]
    return int((matched == found.ranking.clauses).sum()), int(matched.max())
