"""A straightforward reference for the array ranker: the same plan, scored by Whoosh's own matchers.

Each plan node becomes the Whoosh query it stands for (``Terms`` → ``Term``
or ``Phrase`` with its boost, ``AnyOf`` → ``Or``, ``AllOf`` → ``And``,
``Without`` → ``AndNot``), every matching document is scored by walking
the matchers one document at a time, and the formula of ``search.ranking``
is applied with Python dicts: the sum of the clauses, plus ``PROXIMITY``
times each adjacent pair's phrase score, times the share of the clauses'
idf matched (each clause's idf from the documents it matches among those
searched: visible, with the query's required words, without its excluded
ones; option filters only select). This is how the engine ranked before it used arrays; the tests
check that both give the same documents in the same order with the same
scores.
"""

from __future__ import annotations

import math
from array import array

from whoosh.matching import ListMatcher
from whoosh.query import And, AndNot, Every, NullQuery, Or, Phrase, Term

from search.nodes import AllOf, AnyOf, Everything, FacetIs, Terms, Without
from search.plan import plan_search
from search.ranking import PROXIMITY


class Selecting(Every):
    """Every document, scored 0: ``Everything`` only selects (``search.nodes``), so in ``-insertion OU
    marchés`` it adds nothing to a score (Whoosh's ``Every`` scores 1, and reads a weight of 0 as none)."""

    def matcher(self, searcher, context=None):
        ids = array("I", searcher.reader().all_doc_ids())
        return ListMatcher(ids, weights=[0.0] * len(ids))


def whoosh_query(node):
    """The Whoosh query a plan node stands for."""
    if isinstance(node, Terms):
        if node.is_phrase:
            return Phrase(node.field, list(node.terms), boost=node.boost)
        return Term(node.field, node.terms[0], boost=node.boost)
    if isinstance(node, AnyOf):
        return Or([whoosh_query(c) for c in node.children])
    if isinstance(node, AllOf):
        return And([whoosh_query(c) for c in node.children])
    if isinstance(node, Without):
        return AndNot(whoosh_query(node.positive), whoosh_query(node.negative))
    if isinstance(node, FacetIs):
        return Or([Term(node.field, v) for v in node.values]) if node.values else NullQuery
    if isinstance(node, Everything):
        return Selecting()
    raise TypeError(node)


def scores(whoosh, query) -> dict[int, float]:
    """``{docnum: score}`` of every document ``query`` matches, walking matchers segment by segment."""
    found: dict[int, float] = {}
    context = whoosh.context()
    for subsearcher, offset in whoosh.leaf_searchers():
        matcher = query.matcher(subsearcher, context)
        while matcher.is_active():
            found[offset + matcher.id()] = matcher.score()
            matcher.next()
    return found


def reference_ranking(searcher, text: str, depth: int, include_private: bool = False) -> list[tuple[str, float]]:
    """``Searcher.ranking`` computed the plain way, from the same plan."""
    whoosh = searcher._searcher
    order = reference_order(searcher, text, {}, include_private, by_date=False)[:depth]
    return [(whoosh.stored_fields(doc)["id"], score) for doc, score in order]


def reference_order(searcher, text: str, filters: dict, include_private: bool, by_date: bool) -> list[tuple[int, float]]:
    """Every matching ``(docnum, score)`` of ``Searcher.search``, in its order: by score, or newest
    first (the resource's date, else when it was first indexed; ties by score), ties by docnum."""
    whoosh = searcher._searcher
    plan = plan_search(text, searcher.view(include_private), filters, False)
    if plan.browse:
        raise ValueError("the reference ranks queries with words only")
    searched = {d for d in range(whoosh.doc_count_all()) if not whoosh.reader().is_deleted(d)}
    if not include_private:
        searched -= set(scores(whoosh, Term("private", True)))
    for node in plan.required:
        searched &= set(scores(whoosh, whoosh_query(node)))
    if plan.excluded is not None:
        searched -= set(scores(whoosh, whoosh_query(plan.excluded)))
    allowed = set(searched)
    for node in plan.selected.values():
        allowed &= set(scores(whoosh, whoosh_query(node)))
    total: dict[int, float] = {}
    weighed: dict[int, float] = {}
    weights = 0.0
    for clause in plan.clauses:
        found = {doc: score for doc, score in scores(whoosh, whoosh_query(clause)).items() if doc in searched}
        idf = math.log(1 + (len(searched) - len(found) + 0.5) / (len(found) + 0.5))
        weights += idf
        for doc, score in found.items():
            if doc in allowed:
                total[doc] = total.get(doc, 0.0) + score
                weighed[doc] = weighed.get(doc, 0.0) + idf
    for pair in plan.pairs:
        for doc, score in scores(whoosh, whoosh_query(pair)).items():
            if doc in total:
                total[doc] += PROXIMITY * score
    final = {doc: score * weighed[doc] / weights for doc, score in total.items()}
    if not by_date:
        return sorted(final.items(), key=lambda item: (-item[1], item[0]))
    dates = {doc: _date(whoosh.stored_fields(doc)) for doc in final}
    newest = sorted(set(dates.values()) - {""}, reverse=True)
    rank = {date: i for i, date in enumerate(newest)}
    return sorted(final.items(), key=lambda item: (rank.get(dates[item[0]], len(rank)), -item[1], item[0]))


def _date(stored: dict) -> str:
    return stored.get("date") or stored.get("indexed_at") or ""
