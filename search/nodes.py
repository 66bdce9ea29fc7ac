"""The backend-neutral form of a query: analysed terms, and how they combine.

The planner (``search.plan``) compiles the parsed query into these nodes
once; each backend evaluates them its own way (``search.ranking`` with
arrays over the local index, ``search.cluster`` as Typesense parameters).
Their scores are BM25F as Whoosh defines it, so the array ranker can be
checked against Whoosh's own matchers (``tests/test_ranking.py``):

- ``Terms`` with one term: ``boost × BM25(field, term)``; with several, a
  phrase (the terms at consecutive positions of ``field``), scored as the
  sum of its terms' BM25, times ``boost``, where the phrase occurs;
- ``AnyOf``: matches when a child matches, scored as the sum of the
  children that match; ``AllOf``: when every child matches, the sum;
- ``Without``: ``positive`` where ``negative`` does not match, scored as
  ``positive``;
- ``FacetIs`` and ``Everything`` only select documents (score 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Union


@dataclass(frozen=True)
class Terms:
    """Analysed ``terms`` of ``field``: one term, or a phrase (consecutive positions)."""

    field: str
    terms: tuple[str, ...]
    boost: float = 1.0

    @property
    def is_phrase(self) -> bool:
        return len(self.terms) > 1


@dataclass(frozen=True)
class AnyOf:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class AllOf:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Without:
    positive: "Node"
    negative: "Node"


@dataclass(frozen=True)
class FacetIs:
    """Documents whose facet ``field`` holds one of ``values`` (stored values, already resolved)."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Everything:
    """Every document the caller may see (what a lone negation is taken from)."""


Node = Union[Terms, AnyOf, AllOf, Without, FacetIs, Everything]


def any_of(nodes) -> Node | None:
    """The nodes that are not None, deduplicated, as one node (None when there are none)."""
    unique = list(dict.fromkeys(n for n in nodes if n is not None))
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else AnyOf(tuple(unique))


def all_of(nodes) -> Node | None:
    unique = list(dict.fromkeys(n for n in nodes if n is not None))
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else AllOf(tuple(unique))


def leaves(node: Node | None, positive: bool = True) -> Iterator[Terms]:
    """The ``Terms`` of ``node``; with ``positive``, not those under a ``Without``'s negative side."""
    if isinstance(node, Terms):
        yield node
    elif isinstance(node, (AnyOf, AllOf)):
        for child in node.children:
            yield from leaves(child, positive)
    elif isinstance(node, Without):
        yield from leaves(node.positive, positive)
        if not positive:
            yield from leaves(node.negative, positive)


def single_term(node: Node) -> str | None:
    """The one analysed word ``node`` stands for: a term, or the same term in several fields."""
    if isinstance(node, Terms):
        return node.terms[0] if not node.is_phrase else None
    if isinstance(node, AnyOf) and all(isinstance(c, Terms) and not c.is_phrase for c in node.children):
        words = {c.terms[0] for c in node.children}
        return words.pop() if len(words) == 1 else None
    return None
