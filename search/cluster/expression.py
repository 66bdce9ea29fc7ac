"""A plan's nodes (``search.nodes``) as Typesense 0.24 ``filter_by`` and ``q`` exclusions.

Typesense matches a filter ``body_terms:`march``` on whole terms of the
field, ORs the values of a list (``body_terms:[`a`,`b`]``), and combines
conditions with ``&&``, ``||`` and parentheses; ``type:=[…]`` matches
facet values exactly. So terms, groups and facets translate exactly
(the single terms of one field under an OR become one list). Two things
do not:

- a phrase: a filter has no positions, so ``a b`` becomes "both terms",
  a superset of the documents holding them side by side;
- a negation: a filter cannot negate a term. A query can (``q: -march``,
  ``-"march reserv"``), over every queried field at once: an excluded word
  or phrase of the whole query, searched in the three ranked fields,
  becomes such an exclusion; any other negation (inside a group, or of
  one field only) is left out of the filter, a superset again.

Typesense 0.24 refuses a filter of more than 100 pieces (conditions,
operators, parentheses: measured). A condition keeps its ``size``; one
that would not fit falls back to ``union``: any of the terms it holds,
still a superset. ``Condition.exact`` says whether Typesense counts
exactly the documents the plan matches. Either way the documents it
returns are evaluated again, exactly, on their terms
(``search.cluster.matching``): only counts over more documents than are
fetched can be approximate.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.cluster.schema import ANALYSED_FIELDS
from indexer.schema import TEXT_FIELDS
from search.nodes import AllOf, AnyOf, Everything, FacetIs, Node, Terms, Without, leaves

# Pieces of a filter Typesense 0.24 accepts (it refuses more than 100), with a margin.
MAX_SIZE = 96


@dataclass(frozen=True)
class Condition:
    """A ``filter_by`` expression of ``size`` pieces; ``text`` None is "every document", ``empty`` "none"."""

    text: str | None
    exact: bool = True
    empty: bool = False
    size: int = 0


EVERYTHING = Condition(None)
NOTHING = Condition(None, empty=True)


def literal(value: str) -> str:
    """A value in backticks, so that commas, parentheses and operators in it are plain text."""
    return f"`{value.replace('`', '')}`"


def values(items) -> str:
    return "[" + ",".join(literal(v) for v in items) + "]"


def leaf(text: str, exact: bool = True) -> Condition:
    return Condition(text, exact, size=1)


def inexact(found: Condition) -> Condition:
    """The same condition, marked as matching more than what it stands for."""
    return Condition(found.text, False, found.empty, found.size)


def _combine(parts: list[Condition], operator: str, exact: bool) -> Condition:
    if len(parts) == 1:
        return Condition(parts[0].text, exact and parts[0].exact, size=parts[0].size)
    size = sum(p.size for p in parts) + len(parts) + 1  # operators between, parentheses around
    return Condition("(" + f" {operator} ".join(p.text for p in parts) + ")", exact, size=size)


def either(parts: list[Condition]) -> Condition:
    """Documents matching any of ``parts``."""
    kept = [p for p in parts if not p.empty]
    if not kept:
        return NOTHING
    exact = all(p.exact for p in kept)
    if any(p.text is None for p in kept):
        return Condition(None, exact)
    return _combine(kept, "||", exact)


def both(parts: list[Condition]) -> Condition:
    """Documents matching every one of ``parts``."""
    if any(p.empty for p in parts):
        return NOTHING
    kept = [p for p in parts if p.text is not None]
    exact = all(p.exact for p in parts)
    return _combine(kept, "&&", exact) if kept else Condition(None, exact)


def terms_in(field: str, terms, exact: bool = True) -> Condition:
    """Documents holding any of ``terms`` in ``field`` (a field of the local schema)."""
    terms = list(dict.fromkeys(terms))
    name = ANALYSED_FIELDS[field]
    return leaf(f"{name}:{literal(terms[0])}" if len(terms) == 1 else f"{name}:{values(terms)}", exact)


def condition(node: Node | None) -> Condition:
    """The filter of ``node``: exact, or a superset of what it matches (``exact=False``)."""
    if node is None or isinstance(node, Everything):
        return EVERYTHING
    if isinstance(node, Terms):
        found = both([terms_in(node.field, (t,)) for t in node.terms])
        return inexact(found) if node.is_phrase else found
    if isinstance(node, FacetIs):
        return leaf(f"{node.field}:={values(node.values)}") if node.values else NOTHING
    if isinstance(node, AnyOf):
        return _any(node)
    if isinstance(node, AllOf):
        return both([condition(child) for child in node.children])
    if isinstance(node, Without):
        return inexact(condition(node.positive))
    raise TypeError(f"not a plan node: {node!r}")


def _flat(node: Node):
    if isinstance(node, AnyOf):
        for child in node.children:
            yield from _flat(child)
    else:
        yield node


def _any(node: AnyOf) -> Condition:
    """Nested ORs flattened, the single terms of each field gathered into one list."""
    by_field: dict[str, list[str]] = {}
    others = []
    for child in _flat(node):
        if isinstance(child, Terms) and not child.is_phrase:
            by_field.setdefault(child.field, []).append(child.terms[0])
        else:
            others.append(condition(child))
    return either([terms_in(field, terms) for field, terms in by_field.items()] + others)


def union(nodes) -> Condition:
    """Any of the positive terms of ``nodes``, per field: a superset of what any of them matches, in a few pieces."""
    nodes = [n for n in nodes if n is not None]
    if any(isinstance(n, Everything) for n in nodes):
        return Condition(None, False)
    by_field: dict[str, list[str]] = {}
    for node in nodes:
        for found in leaves(node):
            by_field.setdefault(found.field, []).extend(found.terms)
    return inexact(either([terms_in(f, t) for f, t in by_field.items()]))


def any_clause(clauses: list[Node], room: int = MAX_SIZE) -> Condition:
    """Documents matching at least one clause: exactly if that fits in ``room`` pieces, else ``union``."""
    found = condition(AnyOf(tuple(clauses))) if len(clauses) > 1 else condition(clauses[0])
    return found if found.size <= room else union(clauses)


def exclusion(node: Node) -> str | None:
    """``node`` as a ``q`` exclusion (``-march``, ``-"march reserv"``) when it is one word or phrase
    searched in every ranked field, else None (Typesense excludes over every queried field)."""
    if not isinstance(node, AnyOf) or not all(isinstance(c, Terms) for c in node.children):
        return None
    forms = {c.terms for c in node.children}
    if len(forms) != 1 or {c.field for c in node.children} != set(TEXT_FIELDS):
        return None
    terms = forms.pop()
    if any('"' in t or " " in t or t.startswith("-") for t in terms):
        return None
    return f"-{terms[0]}" if len(terms) == 1 else '-"' + " ".join(terms) + '"'


def exclusions(excluded: Node | None) -> tuple[str, bool]:
    """The ``q`` exclusions of a plan's ``excluded`` node, and whether they are exactly it."""
    if excluded is None:
        return "", True
    single = exclusion(excluded)
    if single is not None:
        return single, True
    parts = excluded.children if isinstance(excluded, AnyOf) else (excluded,)
    found = [exclusion(p) for p in parts]
    return " ".join(f for f in found if f), all(found)
