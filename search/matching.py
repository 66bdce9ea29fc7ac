"""What a plan matches among a set of documents, in which order, and the facet counts over them.

Shared by both backends: the local ``Searcher`` runs it over the whole
index, the cluster backend over the documents it fetched from Typesense.
Each gives an ``Evaluator`` (``search.ranking``) over its postings, facets
with ``size``, ``mask(field, values)`` and ``counts(mask, fields)``, and the
documents' date keys (larger is newer: the resource's date, else when it
was first indexed). What matches: the ``base`` documents (those the caller
may see) that pass every required part, no excluded part, every option
filter, and match a clause; with no clause, all of them, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from search.plan import Plan
from search.ranking import Counted, Evaluator, Ranking, rank


@dataclass
class Matches:
    """The documents a plan matches (``mask``), and before the option filters (``unfiltered``);
    when it has words, their ``ranking`` and the ``rows`` of it that pass every filter."""

    mask: np.ndarray
    unfiltered: np.ndarray
    ranking: Ranking | None = None
    rows: np.ndarray | None = None

    @property
    def total(self) -> int:
        return int(self.mask.sum())


class Matching:
    """A plan's matches, order and counts over one set of documents."""

    def __init__(self, evaluator: Evaluator, facets, date_keys: Callable[[], np.ndarray]):
        self.evaluator = evaluator
        self.facets = facets
        self.size = facets.size
        self._date_keys = date_keys

    def mask(self, docs: np.ndarray) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[docs] = True
        return mask

    def match(self, plan: Plan, base: np.ndarray, counted: Counted | None = None) -> Matches:
        """What the plan matches among ``base`` (``bool[size]``), ranked when it has clauses (``counted``:
        ``search.ranking.rank``)."""
        base = base.copy() if plan.searchable else np.zeros(self.size, dtype=bool)
        for node in plan.required:
            base &= self.mask(self.evaluator.evaluate(node, base).docs)
        if plan.excluded is not None:
            base &= ~self.mask(self.evaluator.evaluate(plan.excluded, base).docs)
        selected = self.selected(plan)
        if plan.browse:
            return Matches(base & selected, base)
        ranking = rank(self.evaluator, plan.clauses, plan.pairs, base, counted)
        rows = np.flatnonzero(selected[ranking.docs])
        return Matches(self.mask(ranking.docs[rows]), self.mask(ranking.docs), ranking, rows)

    def selected(self, plan: Plan, leave_out: str | None = None) -> np.ndarray:
        """The documents passing every option filter (but ``leave_out``'s)."""
        chosen = np.ones(self.size, dtype=bool)
        for name, facet in plan.selected.items():
            if name != leave_out:
                chosen &= self.facets.mask(name, facet.values)
        return chosen

    def ordered(self, found: Matches, wanted: int, by_date: bool) -> list[tuple[int, float]]:
        """The first ``wanted`` ``(doc, score)``: by score, or newest first (ties by score, then document order)."""
        if found.ranking is None:
            docs = np.flatnonzero(found.mask)
            order = np.lexsort((docs, -self._date_keys()[docs]))[:wanted]
            return [(int(d), 0.0) for d in docs[order]]
        ranking, rows = found.ranking, found.rows
        if not by_date:
            return ranking.best(wanted, rows)
        keys = self._date_keys()[ranking.docs[rows]]
        if len(keys) > wanted:  # only the dates that reach the page matter
            last = np.partition(keys, len(keys) - wanted)[len(keys) - wanted]
            rows, keys = rows[keys >= last], keys[keys >= last]
        ordered: list[tuple[int, float]] = []
        for key in np.unique(keys)[::-1]:
            ordered += ranking.best(wanted - len(ordered), rows[keys == key])
            if len(ordered) >= wanted:
                break
        return ordered

    def counts(self, plan: Plan, found: Matches, disjunctive: bool) -> dict[str, dict[str, int]]:
        """Facet counts over the matches; ``disjunctive``: a facet with filter values counted
        without its own filter (values of one facet are OR-ed)."""
        counts = self.facets.counts(found.mask)
        if disjunctive:
            for name in plan.selected:
                others = found.unfiltered & self.selected(plan, leave_out=name)
                counts[name] = self.facets.counts(others, (name,))[name]
        return counts


def coverage(found: Matches) -> list[str]:
    """Say when some matched documents lack some words of the query."""
    if found.ranking is None or not len(found.rows):
        return []
    matched = found.ranking.matched[found.rows]
    return coverage_warning(int((matched == found.ranking.clauses).sum()), len(matched),
                            found.ranking.clauses, int(matched.max()))


def coverage_warning(every: int, total: int, clauses: int, best: int) -> list[str]:
    """The warning of ``coverage``: ``every`` of ``total`` matches have every one of ``clauses``
    words, the best has ``best`` of them."""
    if clauses < 2 or every == total or not total:
        return []
    if every:
        return [f"{every} ressource(s) avec tous les termes, {total - every} avec une partie d'entre eux"]
    return [f"aucune ressource ne contient tous les termes : au mieux {best} sur {clauses}"]
