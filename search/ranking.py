"""How matching resources are scored, with arrays: BM25F per word, coordination, proximity.

For a query of n words (clauses), a resource's score is::

    (Σ_clauses BM25F(clause) + PROXIMITY × Σ_adjacent pairs BM25F("a b")) × Σ_matched idf / Σ_clauses idf

- BM25F(clause): the word in title, summary and body with the field boosts
  of ``indexer/schema.py`` (its corrections and thesaurus expansions included);
- coordination, each word weighed by its rarity: the share of the query's
  words a resource has, each word counting its idf (``rarity``: BM25's,
  from how many of the searched resources the word matches). A resource
  with every word usually wins, yet one that lacks a single word the text
  does not use is not thrown behind all the others; and a resource that
  lacks a rare word of the query ("démission", "inaptitude") loses more
  than one that lacks a common one ("travail", "salarié"). Plain
  ``matched / n`` (Lucene's classic coordination) counted them alike: long
  wordings then ranked first the resources holding their common words;
- proximity: each pair of adjacent query words found side by side in a
  field ("abandon de poste", stop words aside) adds its phrase score, as
  in the sequential dependence model of Metzler and Croft (2005).

Every value here was chosen on the CDTN dev topics only; the measurements
are in docs (ranking and evaluation) and pinned by tests/eval/cdtn/.

How it runs: each node of the plan (``search.nodes``) is evaluated over
the posting arrays of ``search.local.postings`` within the documents the caller
may see (``allowed``, a boolean mask: private and filtered-out documents
are never scored), giving sorted document numbers and their scores; the
clauses are summed into dense per-document arrays, which give the matched
set, the total and the coordination in a few vectorised passes (the facet
counts are ``search.local.facets``'). Proximity needs positions: its upper bound
(both words present in the field) comes from the arrays, and positions,
kept with the cached postings, are decoded only for the documents that can
still reach the page being shown, best upper bound first, so the order is
exactly that of the formula.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from search.nodes import AllOf, AnyOf, Everything, FacetIs, Node, Terms, Without

K1 = 1.2
B = 0.75
PROXIMITY = 1.0
VERIFY_BATCH = 64


@dataclass(frozen=True)
class Scored:
    """Sorted document numbers (int32) and their scores (float64)."""

    docs: np.ndarray
    scores: np.ndarray


EMPTY = Scored(np.zeros(0, dtype=np.int32), np.zeros(0))


class Evaluator:
    """Evaluate plan nodes over one index's arrays (``postings``) and facet masks (``facets``)."""

    def __init__(self, postings, facets):
        self.postings = postings
        self.facets = facets

    def evaluate(self, node: Node, allowed: np.ndarray) -> Scored:
        """The documents ``node`` matches among ``allowed``, with their scores (``search.nodes``)."""
        if isinstance(node, Terms):
            return self.terms(node, allowed)
        if isinstance(node, AnyOf):
            return union([self.evaluate(c, allowed) for c in node.children], allowed.size)
        if isinstance(node, AllOf):
            return intersection([self.evaluate(c, allowed) for c in node.children])
        if isinstance(node, Without):
            positive = self.evaluate(node.positive, allowed)
            negative = self.evaluate(node.negative, allowed)
            keep = ~np.isin(positive.docs, negative.docs, assume_unique=True)
            return Scored(positive.docs[keep], positive.scores[keep])
        if isinstance(node, FacetIs):
            docs = np.flatnonzero(self.facets.mask(node.field, node.values) & allowed).astype(np.int32)
            return Scored(docs, np.zeros(len(docs)))
        if isinstance(node, Everything):
            docs = np.flatnonzero(allowed).astype(np.int32)
            return Scored(docs, np.zeros(len(docs)))
        raise TypeError(f"not a plan node: {node!r}")

    def term(self, field: str, term: str, allowed: np.ndarray) -> Scored:
        """BM25 of one term in one field, over the allowed documents having it."""
        docs, tf = self.postings.get(field, term)
        keep = allowed[docs]
        if not keep.all():
            docs, tf = docs[keep], tf[keep]
        return Scored(docs, self.postings.bm25(field, term, docs, tf))

    def terms(self, node: Terms, allowed: np.ndarray) -> Scored:
        """A term, or a phrase (its terms' sum where they occur side by side), times the node's boost."""
        found = intersection([self.term(node.field, t, allowed) for t in node.terms])
        if node.is_phrase and len(found.docs):
            at = self.postings.phrase_docs(node.field, node.terms, found.docs)
            keep = np.isin(found.docs, at, assume_unique=True)
            found = Scored(found.docs[keep], found.scores[keep])
        return Scored(found.docs, found.scores * node.boost) if node.boost != 1.0 else found


def union(parts: list[Scored], size: int) -> Scored:
    """Documents matching any part, scored with the sum of the parts they match."""
    parts = [p for p in parts if len(p.docs)]
    if not parts:
        return EMPTY
    if len(parts) == 1:
        return parts[0]
    total, hit = np.zeros(size), np.zeros(size, dtype=bool)
    for part in parts:
        total[part.docs] += part.scores
        hit[part.docs] = True
    docs = np.flatnonzero(hit).astype(np.int32)
    return Scored(docs, total[docs])


def intersection(parts: list[Scored]) -> Scored:
    """Documents matching every part, scored with the sum of the parts."""
    if not parts:
        return EMPTY
    docs, scores = parts[0].docs, parts[0].scores
    for part in parts[1:]:
        docs, left, right = np.intersect1d(docs, part.docs, assume_unique=True, return_indices=True)
        scores = scores[left] + part.scores[right]
    return Scored(docs.astype(np.int32, copy=False), scores)


@dataclass
class Ranking:
    """Every document matching a clause, scored without proximity, and what proximity may add.

    ``docs`` are sorted; ``base`` is the sum of their clause scores,
    ``matched`` how many clauses each matches, ``share`` the coordination
    (the idf of the clauses each matches over that of all), ``bound`` the most
    proximity can add (the pairs whose two words are in the field, side by
    side or not). Scores are exact once ``best`` has checked the pairs of
    the documents it returns.
    """

    docs: np.ndarray
    base: np.ndarray
    matched: np.ndarray
    share: np.ndarray
    bound: np.ndarray
    clauses: int
    pairs: list[tuple[Terms, Scored]]
    postings: object   # search.local.postings.Postings: positions for the pairs

    def best(self, wanted: int, within: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The ``wanted`` best ``(docnum, score)`` (among positions ``within`` of ``docs``), exact.

        Optimistic scores (upper bounds for unchecked documents) pick the
        candidates; their pairs are checked and the pick repeated until
        the chosen ones are all exact: no document left out can beat them.
        Equal scores keep index order.
        """
        rows = np.arange(len(self.docs)) if within is None else within
        if not len(rows) or wanted <= 0:
            return []
        if len(rows) > wanted:  # a document whose best case is below the k-th worst case is out
            lower = self.base[rows] * self.share[rows]
            kth = np.partition(lower, len(rows) - wanted)[len(rows) - wanted]
            upper = (self.base[rows] + PROXIMITY * self.bound[rows]) * self.share[rows]
            rows = rows[upper >= kth]
        raw = self.base[rows].copy()
        exact = self.bound[rows] == 0
        while True:
            optimistic = np.where(exact, raw, self.base[rows] + PROXIMITY * self.bound[rows])
            final = optimistic * self.share[rows]
            chosen = _top(final, self.docs[rows], wanted)
            unchecked = chosen[~exact[chosen]]
            if not len(unchecked):
                return [(int(self.docs[rows[i]]), float(final[i])) for i in chosen]
            batch = _top(np.where(exact, -np.inf, final), self.docs[rows], len(unchecked) + VERIFY_BATCH)
            batch = batch[~exact[batch]]
            raw[batch] = self._checked(rows[batch], raw[batch])
            exact[batch] = True

    def _checked(self, rows: np.ndarray, raw: np.ndarray) -> np.ndarray:
        """``raw`` plus the proximity of the pairs really side by side, for the documents at ``rows``."""
        docs = self.docs[rows]
        raw = raw.copy()
        for pair, present in self.pairs:
            at = np.searchsorted(present.docs, docs)
            inside = at < len(present.docs)
            inside[inside] = present.docs[at[inside]] == docs[inside]
            if not inside.any():
                continue
            adjacent = np.isin(docs, self.postings.phrase_docs(pair.field, pair.terms, docs[inside]))
            raw[adjacent] += PROXIMITY * present.scores[at[adjacent]]
        return raw


def _top(scores: np.ndarray, docs: np.ndarray, wanted: int) -> np.ndarray:
    """Positions of the ``wanted`` highest ``scores``, best first, equal scores by ascending ``docs``."""
    if wanted < len(scores):
        cut = np.partition(scores, len(scores) - wanted)[len(scores) - wanted]
        candidates = np.flatnonzero(scores >= cut)
    else:
        candidates = np.arange(len(scores))
    order = np.lexsort((docs[candidates], -scores[candidates]))
    return candidates[order][:wanted]


def rarity(matching: int, searched: int) -> float:
    """BM25's idf of a word matching ``matching`` of the ``searched`` resources: its weight in the coordination.

    >>> [round(rarity(n, 14673), 2) for n in (10, 1000, 10000)]
    [7.24, 2.69, 0.38]
    """
    return math.log(1 + (searched - matching + 0.5) / (matching + 0.5))


@dataclass(frozen=True)
class Counted:
    """How many documents the coordination's rarities count over, when ``allowed`` is not all of them
    (the cluster ranks the documents it fetched): ``searched`` in all, and per clause those it matches
    (a clause without a count, ``None`` or past the end, is counted among ``allowed``, which then holds
    every document it matches)."""

    searched: int
    matching: tuple[int | None, ...] = ()


def rank(evaluator: Evaluator, clauses: list[Node], pairs: list[Terms], allowed: np.ndarray,
         counted: Counted | None = None) -> Ranking:
    """Score every allowed document matching a clause: sum, coordination and the proximity bound.

    A clause's rarity counts the ``allowed`` documents it matches: those the
    caller may see, with the query's required words and without its excluded
    ones (``search.matching``: option filters select afterwards, so they
    change no score). The cluster fetches only some of them, and gives the
    counts of all (``counted``: ``search.cluster.searcher``).
    """
    size = allowed.size
    searched = counted.searched if counted is not None else int(allowed.sum())
    known = counted.matching if counted is not None else ()
    total, count, weighed = np.zeros(size), np.zeros(size, dtype=np.int32), np.zeros(size)
    weights = 0.0
    for at, clause in enumerate(clauses):
        found = evaluator.evaluate(clause, allowed)
        total[found.docs] += found.scores
        count[found.docs] += 1
        holding = known[at] if at < len(known) and known[at] is not None else len(found.docs)
        weight = rarity(holding, searched)
        weighed[found.docs] += weight
        weights += weight
    docs = np.flatnonzero(count).astype(np.int32)
    matching = np.zeros(size, dtype=bool)
    matching[docs] = True
    bound, checks = np.zeros(size), []
    for pair in pairs:
        present = intersection([evaluator.term(pair.field, t, matching) for t in pair.terms])
        if len(present.docs):
            bound[present.docs] += present.scores
            checks.append((pair, present))
    share = weighed[docs] / weights if len(docs) else weighed[docs]   # a matched clause weighs more than 0
    return Ranking(docs, total[docs], count[docs], share, bound[docs], len(clauses), checks, evaluator.postings)
