"""From the typed query to what to rank: Whoosh query, matching documents and their scores, warnings.

The steps, in order: parse (``search.query``), take top-level facet
prefixes out as filters, find typo corrections in the caller's visible
vocabulary (``search.typos``), build the Whoosh query (``search.compile``)
with the thesaurus (``search.thesaurus``), then find the matching
documents and score them (``search.ranking``). A plain query of several
words matches documents with any of them; coordination usually ranks those with
every word first, and the warnings say when some words are missing.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from whoosh.query import And, Or, Query

from search import ranking
from search.compile import QueryBuilder, analysed, split_filters
from search.query import MAX_WARNINGS, All, Any, Facet, Not, parse
from search.thesaurus import expand_query
from search.typos import Correction, corrections, plain_words, suggestion
from search.vocabulary import Vocabulary


@dataclass
class Plan:
    """What ``Searcher.search`` ranks: ``matched`` with their ``scores`` (None query: browse by date).

    ``query`` is what the snippets highlight and what the date order ranks ties by;
    ``clauses`` and ``pairs`` are the queries whose scores ``search.ranking`` combines.
    """

    query: Query | None
    matched: frozenset[int]
    warnings: list[str] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    suggestion: str | None = None
    scores: dict[int, float] = field(default_factory=dict)
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    clauses: list[Query] = field(default_factory=list)
    pairs: list[Query] = field(default_factory=list)

    def best(self, wanted: int) -> list[tuple[int, float]]:
        """The ``wanted`` best ``(docnum, score)``, equal scores in index order."""
        return heapq.nsmallest(wanted, self.scores.items(), key=lambda item: (-item[1], item[0]))


def plan_search(text: str, searcher, facets, filters, include_private: bool, strict: bool) -> Plan:
    """Parse, filter, correct, build and score; raises ``QuerySyntaxError`` only when ``strict``."""
    tree, parse_warnings = parse(text, strict=strict)
    tree, facet_nodes = split_filters(tree)
    found = corrections(tree, Vocabulary(searcher, facets.visible_docs(include_private)))
    builder = QueryBuilder(searcher, facets, {c.node_start: c.replacements for c in found})
    query_filters = _query_filters(facet_nodes, builder)
    allowed = facets.allowed(filters, include_private) & facets.allowed(query_filters, include_private)
    query, expansions = _expanded(builder.build(tree), searcher.schema)
    unique = list({c.word.casefold(): c for c in found}.values())
    plan = Plan(query, allowed, [str(w) for w in parse_warnings], unique, suggestion(text, found))
    plan.filters = {f: tuple(dict.fromkeys(filters.get(f, ()) + query_filters.get(f, ()))) for f in {**filters, **query_filters}}
    plan.warnings += [str(w) for w in builder.warnings[:MAX_WARNINGS]] + [str(c) for c in unique[:MAX_WARNINGS]]
    plan.warnings += expansions
    if tree is not None and query is None:
        plan.warnings.append("aucun mot à chercher : les mots très courants (le, de, et…) sont ignorés")
        plan.matched = frozenset()
    elif query is not None:
        _match(plan, tree, builder, searcher)
    return plan


def _expanded(query: Query | None, schema) -> tuple[Query | None, tuple[str, ...]]:
    """The thesaurus applied to a built query (``search.thesaurus``): acronyms ⇄ expansions."""
    return expand_query(query, schema) if query is not None else (None, ())


def _query_filters(facet_nodes, builder: QueryBuilder) -> dict[str, tuple[str, ...]]:
    """``type:étude année:2018`` → ``{"type": ("Étude",), "year": ("2018",)}``; an unknown value stays as typed."""
    found: dict[str, tuple[str, ...]] = {}
    for node in facet_nodes:
        found[node.field] = found.get(node.field, ()) + (builder.facet_values(node) or (node.value,))
    return found


def _match(plan: Plan, tree, builder: QueryBuilder, searcher) -> None:
    """Score every allowed document matching a clause of the query (``search.ranking``).

    A plain-words query (``All``) is split into one clause per word or
    phrase: a document needs only one of them, and coordination ranks it
    by how many it has. Negated words exclude; a facet inside the query
    (``(année:2018 OU année:2022)``) is a filter, never optional. Any
    other query (``a OU b``, one word, one phrase) is one clause.
    """
    allowed = plan.matched
    plan.clauses = [plan.query]
    if isinstance(tree, All):
        positive = [i for i in tree.items if not isinstance(i, Not)]
        words = [q for q in (builder.build(i) for i in positive if not _has_facet(i)) if q is not None]
        if words:  # expanded together, so "économie sociale et solidaire" is one clause, or ESS
            plan.clauses = list(_expanded(And(words), searcher.schema)[0].subqueries)
            for required in (builder.build(i) for i in positive if _has_facet(i)):
                allowed = allowed.intersection(searcher.docs_for_query(required)) if required is not None else allowed
            negative = builder.build(Any(tuple(i.item for i in tree.items if isinstance(i, Not))))
            if negative is not None:
                allowed = allowed.difference(searcher.docs_for_query(negative))
            plan.query = Or(plan.clauses) if len(plan.clauses) > 1 else plan.clauses[0]
    terms = [t for word in plain_words(tree) for t in _first_terms(word.text, searcher.schema)]
    plan.pairs = ranking.proximity_queries(terms, searcher.schema)
    scored, counts = ranking.combine(
        [ranking.scores(searcher, q) for q in plan.clauses], [ranking.scores(searcher, q) for q in plan.pairs],
    )
    plan.scores = {doc: score for doc, score in scored.items() if doc in allowed}
    plan.matched = frozenset(plan.scores)
    if len(plan.clauses) > 1:
        _coverage_warning(plan, [counts[doc] for doc in plan.matched], len(plan.clauses))


def _first_terms(text: str, schema) -> list[str]:
    """The analysed terms of a typed word, as the body field indexes them (one per position)."""
    return [group[0] for group in analysed(schema["body"], text)] if "body" in schema else []


def _coverage_warning(plan: Plan, counts: list[int], n: int) -> None:
    """Say when some matched documents lack some words of the query."""
    every = sum(1 for c in counts if c == n)
    if every == len(counts) or not counts:
        return
    plan.warnings.append(
        f"{every} ressource(s) avec tous les termes, {len(counts) - every} avec une partie d'entre eux"
        if every else
        f"aucune ressource ne contient tous les termes : au mieux {max(counts)} sur {n}"
    )


def _has_facet(node) -> bool:
    """True when a query-tree node is or holds a facet prefix (``année:2018``)."""
    if isinstance(node, Facet):
        return True
    if isinstance(node, Not):
        return _has_facet(node.item)
    return isinstance(node, (All, Any)) and any(_has_facet(i) for i in node.items)
