"""A plan evaluated exactly over documents fetched from the cluster: what matches, in which order.

The fetched documents become postings (``search.cluster.candidates``) and
the local ranking code runs over them (``search.ranking``): required
parts, exclusions, option filters, clauses ranked by BM25F with
coordination and proximity. Counting matches is Typesense's job when
there are more of them than one fetch brings (``search.cluster.searcher``);
over a complete fetch this module counts too, exactly as the local index.
"""

from __future__ import annotations

import numpy as np

from search.cluster.candidates import CandidateFacets, CandidatePostings, wanted_terms
from search.counts import ordered_counts
from search.matching import Matches, Matching
from search.plan import Plan
from search.ranking import Counted, Evaluator


def plan_terms(plan: Plan) -> dict[str, set[str]]:
    """Every (field, term) a plan may score or test, per field."""
    return wanted_terms([*plan.clauses, *plan.pairs, *plan.required, plan.excluded])


class Fetched:
    """Documents fetched for one plan (``hits``: Typesense documents), ready to be evaluated by the
    shared matching (``search.matching``), as the local index evaluates its own."""

    def __init__(self, hits: list[dict], plan: Plan, statistics, counted: Counted | None = None):
        self.hits, self.counted = hits, counted
        self.size = len(hits)
        self.facets = CandidateFacets(hits)
        evaluator = Evaluator(CandidatePostings(hits, plan_terms(plan), statistics), self.facets)
        keys = np.array([h.get("date_key", 0) for h in hits], dtype=np.int64)
        self.matching = Matching(evaluator, self.facets, lambda: keys)

    def match(self, plan: Plan) -> Matches:
        """What the plan matches among these documents, ranked when it has clauses: the coordination's
        rarities counted over the collection (``counted``), as the local index counts them."""
        return self.matching.match(plan, np.ones(self.size, dtype=bool), self.counted)

    def ordered(self, found: Matches, wanted: int, by_date: bool) -> list[tuple[int, float]]:
        return self.matching.ordered(found, wanted, by_date)

    def counts(self, plan: Plan, found: Matches, disjunctive: bool) -> dict[str, dict[str, int]]:
        return self.matching.counts(plan, found, disjunctive)


def ordered_facets(counts: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Counts as the local index orders them: years newest first, other values by count then name."""
    return {field: ordered_counts(field, values.items()) for field, values in counts.items()}


def match_coverage(found: Matches) -> tuple[int, int]:
    """``(every, best)``: matches with every clause, and the most clauses a match has."""
    if found.ranking is None or not len(found.rows):
        return 0, 0
    matched = found.ranking.matched[found.rows]
    return int((matched == found.ranking.clauses).sum()), int(matched.max())
