"""Compile query-tree nodes (``search.query``) into analysed nodes (``search.nodes``).

Words are analysed by each text field's own analyzer and searched in
title, summary and body with the schema's boosts (``FIELD_BOOSTS``); a
typo correction is searched beside the word as typed at ``FUZZY_BOOST``.
Two things use the unstemmed ``words`` field instead: exact phrases (its
positions keep stop words) and prefixes (``constru*`` is expanded over
the caller's visible words, then each word is analysed like a typed one,
whatever stemming the text fields do). Facet prefixes become ``FacetIs``
with the stored values the caller may see (``search.facet_values``).

One query's prefixes are bounded, as Elasticsearch's ``max_expansions``
bounds its own: each prefix takes its ``MAX_EXPANSIONS`` most frequent
words, and all the prefixes of a query share ``MAX_QUERY_EXPANSIONS``
equally (``a* b* … z*`` takes 19 words of each letter, not 1,664), with
a French warning when a prefix had more; the words read to find them are
bounded the same way (``PREFIX_SCAN``, ``MAX_QUERY_SCAN``). A prefix reached after the
search's time budget is spent (``search.budget``) is left out.
"""

from __future__ import annotations

from indexer.schema import FIELD_BOOSTS, WORDS_FIELD
from search import facet_values
from search.budget import Budget
from search.nodes import AllOf, Everything, FacetIs, Node, Terms, Without, all_of, any_of
from search.query import All, Any, Facet, Not, Phrase, QueryWarning, Word, text_fields

FUZZY_BOOST = 0.2
MAX_EXPANSIONS = 64           # words of one prefix, the most frequent
MAX_QUERY_EXPANSIONS = 512    # words of all the prefixes of one query, shared equally
PREFIX_SCAN = 5000            # words of one prefix read (alphabetically) to find its most frequent
MAX_QUERY_SCAN = 10_000       # words read for all the prefixes of one query, shared equally


def analysed(analyzer, text: str) -> list[list[str]]:
    """The terms ``analyzer`` makes of ``text``, grouped by position."""
    groups: dict[int, list[str]] = {}
    for token in analyzer(text, mode="query", positions=True):
        groups.setdefault(token.pos, []).append(token.text)
    return [groups[p] for p in sorted(groups)]


class Compiler:
    """Compile query-tree nodes for one caller's view of an index (``search.plan.IndexView``).

    ``alternatives`` maps a word's position in the query to other spellings
    searched beside it, each with its weight (``search.typos``: a correction
    at ``FUZZY_BOOST``, another form of a missing word at 1); ``warnings``
    collects what could not be understood (a facet value selecting nothing,
    a year that is not one).
    """

    def __init__(self, view, alternatives: dict[int, tuple[tuple[str, float], ...]] | None = None,
                 prefixes: int = 1, budget: Budget | None = None):
        self.view = view
        self.alternatives = alternatives or {}
        self.per_prefix = max(1, min(MAX_EXPANSIONS, MAX_QUERY_EXPANSIONS // max(1, prefixes)))
        self.scan = min(PREFIX_SCAN, MAX_QUERY_SCAN // max(1, prefixes))
        self.budget = budget
        self.warnings: list[QueryWarning] = []
        self._analysed: dict[tuple[int, str], list[list[str]]] = {}

    def analysed(self, field: str, text: str) -> list[list[str]]:
        """``analysed`` with ``field``'s analyzer, once per analyzer and text: title, summary and body
        share one analyzer, and the planner asks again for proximity."""
        analyzer = self.view.analyzer(field)
        key = (id(analyzer), text)
        if key not in self._analysed:
            self._analysed[key] = analysed(analyzer, text)
        return self._analysed[key]

    def build(self, node) -> Node | None:
        """The compiled ``node``; None when nothing in it can be searched (stop words only)."""
        if isinstance(node, Word):
            return self.prefix(node) if node.prefix else self.word(node)
        if isinstance(node, Phrase):
            return self.phrase(node)
        if isinstance(node, Facet):
            return FacetIs(node.field, self.facet_values(node))
        if isinstance(node, Not):
            inner = self.build(node.item)
            return Without(Everything(), inner) if inner is not None else None
        if isinstance(node, Any):
            return any_of(self.build(i) for i in node.items)
        if isinstance(node, All):
            return self.conjunction(node.items)
        return None

    def conjunction(self, items) -> Node | None:
        positive = all_of(self.build(i) for i in items if not isinstance(i, Not))
        negative = any_of(self.build(i.item) for i in items if isinstance(i, Not))
        if negative is None:
            return positive
        return Without(positive if positive is not None else Everything(), negative)

    def facet_values(self, node: Facet) -> tuple[str, ...]:
        """The stored values ``node`` selects among those the caller may see; a warning when none."""
        visible = self.view.facet_values(node.field)
        try:
            values = facet_values.resolve(node.field, node.value, visible)
        except facet_values.FacetValueError as error:
            self.warnings.append(QueryWarning(node.start, str(error)))
            return ()
        if not values:
            self.warnings.append(QueryWarning(node.start, facet_values.not_found(node.field, node.value, visible)))
        return values

    def word(self, node: Word) -> Node | None:
        exact = self.text(node.text, node.fields)
        fuzzy = [self.text(w, node.fields, weight) for w, weight in self.alternatives.get(node.start, ())]
        return any_of([exact, *fuzzy])

    def text(self, text: str, fields, boost: float = 1.0) -> Node | None:
        """``text`` in each of ``fields`` (every text field by default), with the field boosts."""
        return any_of(self.field(f, text, FIELD_BOOSTS.get(f, 1.0) * boost) for f in text_fields(fields))

    def field(self, name: str, text: str, boost: float) -> Node | None:
        groups = self.analysed(name, text)
        if not groups:
            return None
        if len(groups) == 1:
            return any_of(Terms(name, (t,), boost) for t in groups[0])
        if all(len(g) == 1 for g in groups):
            return Terms(name, tuple(g[0] for g in groups), boost)
        return all_of(any_of(Terms(name, (t,), boost) for t in g) for g in groups)

    def phrase(self, node: Phrase) -> Node | None:
        """Exact words in order (stop words included) on ``words``, ranked on the text fields."""
        plain = [g[0] for g in self.analysed(WORDS_FIELD, node.text)]
        if not plain:
            return None
        exact = Terms(WORDS_FIELD, tuple(plain))
        ranked = self.text(node.text, node.fields)
        return AllOf((exact, ranked)) if ranked is not None else exact

    def prefix(self, node: Word) -> Node | None:
        """``constru*``: the caller's most frequent words starting with ``constru``, each searched as typed."""
        plain = [g[0] for g in self.analysed(WORDS_FIELD, node.text)]
        if not plain:
            return None
        head, last = " ".join(plain[:-1]), plain[-1]
        if self.budget is not None and self.budget.spent():
            self.budget.cut = True
            return None
        found = self.view.prefix_words(last, self.per_prefix + 1, self.scan)
        if len(found) > self.per_prefix:
            found = found[:self.per_prefix]
            self.warnings.append(QueryWarning(node.start, f"trop de mots commencent par « {last} » : seuls les "
                                                          f"{self.per_prefix} plus fréquents sont cherchés"))
        if not found:
            return Terms(WORDS_FIELD, (last,))  # no visible word starts so: matches nothing
        return any_of(self.text(f"{head} {w}", node.fields) for w in found)  # None: stop words only
