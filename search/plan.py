"""From the typed query to what to rank: Whoosh query, matching documents, warnings.

The steps, in order: parse (``search.query``), take top-level facet
prefixes out as filters, find typo corrections in the caller's visible
vocabulary (``search.typos``), build the Whoosh query (``search.compile``)
and find the matching documents. Documents with every word of a plain
query come first, then those with most of them, and the warnings say so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from whoosh.query import Or, Query

from search.compile import QueryBuilder, split_filters
from search.query import MAX_WARNINGS, All, Any, Facet, Not, parse
from search.thesaurus import expand_query
from search.typos import Correction, corrections, suggestion
from search.vocabulary import Vocabulary


@dataclass
class Plan:
    """What ``Searcher.search`` ranks: ``query`` over ``matched`` (None query: browse by date).

    ``tiers`` split ``matched`` into groups ranked one after the other:
    documents with every word (as typed, then found only through a
    correction), then those with all words but one, and so on (``_match``).
    """

    query: Query | None
    matched: frozenset[int]
    warnings: list[str] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    suggestion: str | None = None
    tiers: tuple[frozenset[int], ...] = ()
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def ranked_tiers(self) -> tuple[frozenset[int], ...]:
        return tuple(t for t in self.tiers if t) if self.tiers else (self.matched,)


def plan_search(text: str, searcher, facets, filters, include_private: bool, strict: bool) -> Plan:
    """Parse, filter, correct and build; raises ``QuerySyntaxError`` only when ``strict``."""
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
        _match(plan, tree, builder, searcher, facets)
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


def _match(plan: Plan, tree, builder: QueryBuilder, searcher, facets) -> None:
    """Documents with every word first (typed words before corrected ones), then those with most of them.

    Like Meilisearch's ranking by words: a resource that lacks one word of
    the query still comes, after all those that have every word, so that a
    query of four words is not lost to one word the text does not use.
    """
    allowed = plan.matched
    every = allowed & frozenset(searcher.docs_for_query(plan.query))
    tiers = [every]
    if plan.corrections:
        exact, _ = _expanded(QueryBuilder(searcher, facets).build(tree), searcher.schema)
        typed = every.intersection(searcher.docs_for_query(exact)) if exact is not None else frozenset()
        tiers = [typed, every - typed]
    clauses, partial = _partial_tiers(tree, builder, searcher, allowed - every)
    if partial:
        rest = frozenset().union(*(docs for _, docs in partial))
        plan.query = Or([plan.query, Or(clauses)]) if every else Or(clauses)
        plan.warnings.append(
            f"{len(every)} ressource(s) avec tous les termes, puis {len(rest)} avec une partie d'entre eux"
            if every else
            f"aucune ressource ne contient tous les termes : d'abord celles qui en ont {partial[0][0]} "
            f"sur {len(clauses)}"
        )
        every |= rest
    plan.matched = every
    plan.tiers = tuple(tiers + [docs for _, docs in partial])


def _has_facet(node) -> bool:
    """True when a query-tree node is or holds a facet prefix (``année:2018``)."""
    if isinstance(node, Facet):
        return True
    if isinstance(node, Not):
        return _has_facet(node.item)
    return isinstance(node, (All, Any)) and any(_has_facet(i) for i in node.items)


def _partial_tiers(tree, builder: QueryBuilder, searcher, candidates: frozenset[int]):
    """The clauses of a plain-words query and, among ``candidates``, ``(k, documents
    with k of its n clauses)`` for k = n-1 down to 1 (never those with a negated word)."""
    if not isinstance(tree, All):
        return [], []
    positive = [i for i in tree.items if not isinstance(i, Not)]
    for required in (i for i in positive if _has_facet(i)):  # a facet is a filter: never optional
        query = builder.build(required)
        candidates = candidates.intersection(searcher.docs_for_query(query)) if query is not None else candidates
    built = (_expanded(builder.build(i), searcher.schema)[0] for i in positive if not _has_facet(i))
    clauses = [q for q in built if q is not None]
    if len(clauses) < 2 or not candidates:
        return clauses, []
    negative = builder.build(Any(tuple(i.item for i in tree.items if isinstance(i, Not))))
    excluded = frozenset(searcher.docs_for_query(negative)) if negative is not None else frozenset()
    counts = Counter(d for q in clauses for d in candidates.intersection(searcher.docs_for_query(q)) - excluded)
    tiers = [(k, frozenset(d for d, n in counts.items() if n == k)) for k in range(len(clauses) - 1, 0, -1)]
    return clauses, [(k, docs) for k, docs in tiers if docs]
