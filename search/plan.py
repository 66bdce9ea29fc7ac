"""From the typed query to what to rank: Whoosh query, matching documents, warnings.

The steps, in order: parse (``search.query``), take top-level facet
prefixes out as filters, find typo corrections in the caller's visible
vocabulary (``search.typos``), build the Whoosh query (``search.compile``)
and find the matching documents. When plain words match nothing together,
the search falls back to the documents holding most of them, and says so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from whoosh.query import Or, Query

from search.compile import QueryBuilder, split_filters
from search.query import MAX_WARNINGS, All, Any, Not, parse
from search.thesaurus import expand_query
from search.typos import Correction, corrections, suggestion
from search.vocabulary import Vocabulary


@dataclass
class Plan:
    """What ``Searcher.search`` ranks: ``query`` over ``matched`` (None query: browse by date).

    ``tiers`` split ``matched`` into groups ranked one after the other:
    documents with the words as typed before those found only through a
    correction.
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
    """The documents of ``plan.query``; else of most words; typed words before corrected ones."""
    allowed = plan.matched
    plan.matched = allowed & frozenset(searcher.docs_for_query(plan.query))
    if not plan.matched and isinstance(tree, All):
        _most_words(plan, tree, builder, searcher, allowed)
    elif plan.corrections:
        exact, _ = _expanded(QueryBuilder(searcher, facets).build(tree), searcher.schema)
        typed = plan.matched.intersection(searcher.docs_for_query(exact)) if exact is not None else frozenset()
        plan.tiers = (typed, plan.matched - typed)


def _most_words(plan: Plan, tree: All, builder: QueryBuilder, searcher, allowed: frozenset[int]) -> None:
    """Relax "every clause" to the most clauses some document has (3 of 4, else 2 of 4…)."""
    built = (_expanded(builder.build(i), searcher.schema)[0] for i in tree.items if not isinstance(i, Not))
    clauses = [q for q in built if q is not None]
    if len(clauses) < 2:
        return
    negative = builder.build(Any(tuple(i.item for i in tree.items if isinstance(i, Not))))
    excluded = frozenset(searcher.docs_for_query(negative)) if negative is not None else frozenset()
    counts = Counter(d for q in clauses for d in allowed.intersection(searcher.docs_for_query(q)) - excluded)
    for need in range(len(clauses) - 1, 0, -1):
        docs = frozenset(d for d, n in counts.items() if n >= need)
        if docs:
            plan.query, plan.matched = Or(clauses), docs
            plan.warnings.append(
                f"aucune ressource ne contient tous les termes : résultats avec {need} termes sur {len(clauses)}"
            )
            return
