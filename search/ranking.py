"""How matching resources are scored: BM25F per word, coordination, proximity.

For a query of n words (clauses), a resource's score is::

    (Σ_clauses BM25F(clause) + PROXIMITY × Σ_adjacent pairs BM25F("a b")) × matched / n

- BM25F(clause): the word in title, summary and body with the field boosts
  of ``indexer/schema.py`` (its corrections and thesaurus expansions included);
- coordination (``matched / n``, as Lucene's classic similarity did): a
  resource with 3 of 4 words keeps 3/4 of its score, so a resource with
  every word usually wins, yet one that lacks a single word the text does
  not use is not thrown behind all the others;
- proximity: each pair of adjacent query words found side by side in a
  field ("abandon de poste", stop words aside) adds its phrase score, as
  in the sequential dependence model of Metzler and Croft (2005).

Every value here was chosen on the CDTN dev topics only; the measurements
are in the README ("Relevance evaluation") and pinned by tests/eval/cdtn/.
Scores are computed by walking Whoosh matchers segment by segment, without
a collector: ranking needs every matching document's score anyway (to
count and combine the clauses), and one pass per clause is the cheapest.
"""

from __future__ import annotations

from collections import Counter

from whoosh import scoring
from whoosh.query import Phrase, Query

K1 = 1.2
B = 0.75
PROXIMITY = 1.0
PROXIMITY_FIELDS = ("title", "summary", "body")


def weighting() -> scoring.BM25F:
    """The scoring model every Searcher ranks with."""
    return scoring.BM25F(B=B, K1=K1)


def scores(searcher, query: Query) -> dict[int, float]:
    """``{docnum: score}`` of every document ``query`` matches (deleted ones excluded)."""
    found: dict[int, float] = {}
    context = searcher.context()
    for subsearcher, offset in searcher.leaf_searchers():
        matcher = query.matcher(subsearcher, context)
        while matcher.is_active():
            found[offset + matcher.id()] = matcher.score()
            matcher.next()
    return found


def proximity_queries(terms: list[str], schema) -> list[Query]:
    """One two-word phrase per pair of adjacent analysed query words, in each ranked field."""
    fields = [f for f in PROXIMITY_FIELDS if f in schema]
    pairs = dict.fromkeys((a, b) for a, b in zip(terms, terms[1:]) if a != b)
    return [Phrase(f, [a, b]) for a, b in pairs for f in fields]


def combine(clauses: list[dict[int, float]], proximity: list[dict[int, float]]) -> tuple[dict[int, float], Counter]:
    """The final score of each document matching a clause, and how many clauses it matched."""
    total: dict[int, float] = {}
    matched: Counter = Counter()
    for clause in clauses:
        for doc, score in clause.items():
            total[doc] = total.get(doc, 0.0) + score
            matched[doc] += 1
    for pair in proximity:
        for doc, score in pair.items():
            if doc in total:
                total[doc] += PROXIMITY * score
    n = len(clauses)
    return {doc: score * matched[doc] / n for doc, score in total.items()}, matched
