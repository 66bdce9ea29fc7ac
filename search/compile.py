"""Turn the parsed query tree (``search.query``) into Whoosh queries.

Words are analysed by each text field's own analyzer and searched in
title, summary and body with the schema's boosts (``FIELD_BOOSTS``), so a
query tree expansion (thesaurus) can be applied to the result like to any
Whoosh query. Two things use the unstemmed ``words`` field instead: exact
phrases (its positions keep stop words) and prefixes (``constru*`` is
expanded over real words, then each word is analysed like a typed one,
whatever stemming the text fields do).

Facet prefixes (``type:``, ``année:``…) become terms of the facet fields,
the user's value mapped to stored values without regard to case or
accents (``type:etude`` → ``Étude``, ``thème:scic`` → ``coopératives et
SCIC``).
"""

from __future__ import annotations

import re
from itertools import islice

from whoosh.query import And, AndNot, Every, Or, Phrase, Query, Term

from indexer.analysis import fold
from indexer.schema import FIELD_BOOSTS
from search.query import All, Any, Facet, Not, Phrase as PhraseNode, QueryWarning, Word, text_fields

WORDS_FIELD = "words"
FUZZY_BOOST = 0.2
MAX_EXPANSIONS = 64
PREFIX_SCAN = 5000


def match_facet_values(values, text: str) -> tuple[str, ...]:
    """Stored ``values`` meant by ``text``: same folded spelling, else containing it as whole words.

    >>> match_facet_values(["Étude", "Conférence en ligne"], "conference")
    ('Conférence en ligne',)
    """
    wanted = fold(text).strip()
    if not wanted:
        return ()
    exact = tuple(v for v in values if fold(v) == wanted)
    if exact:
        return exact
    pattern = re.compile(r"\b%s\b" % re.escape(wanted))
    return tuple(sorted(v for v in values if pattern.search(fold(v))))


def split_filters(tree):
    """Facet clauses at the top level are filters: ``(rest_of_tree, [Facet, ...])``."""
    if isinstance(tree, Facet):
        return None, [tree]
    if isinstance(tree, All):
        facets = [i for i in tree.items if isinstance(i, Facet)]
        rest = tuple(i for i in tree.items if not isinstance(i, Facet))
        return (All(rest) if len(rest) > 1 else (rest[0] if rest else None)), facets
    return tree, []


def analysed(field, text: str) -> list[list[str]]:
    """The terms a field's analyzer makes of ``text``, grouped by position."""
    groups: dict[int, list[str]] = {}
    for token in field.analyzer(text, mode="query", positions=True):
        groups.setdefault(token.pos, []).append(token.text)
    return [groups[p] for p in sorted(groups)]


class QueryBuilder:
    """Build Whoosh queries from query-tree nodes for one open searcher.

    ``alternatives`` maps a word's position in the query to corrected
    spellings (``search.typos``), searched beside the word at a lower boost.
    """

    def __init__(self, searcher, facets, alternatives: dict[int, tuple[str, ...]] | None = None):
        self.schema = searcher.schema
        self.reader = searcher.reader()
        self.facets = facets
        self.alternatives = alternatives or {}
        self.warnings: list[QueryWarning] = []

    def build(self, node) -> Query | None:
        """The Whoosh query of ``node``; None when nothing in it can be searched (stop words only)."""
        if isinstance(node, Word):
            return self.prefix(node) if node.prefix else self.word(node)
        if isinstance(node, PhraseNode):
            return self.phrase(node)
        if isinstance(node, Facet):
            return _any([Term(node.field, v) for v in self.facet_values(node)]) or Term(node.field, node.value)
        if isinstance(node, Not):
            inner = self.build(node.item)
            return AndNot(Every(), inner) if inner is not None else None
        if isinstance(node, Any):
            return _any([self.build(i) for i in node.items])
        if isinstance(node, All):
            return self.conjunction(node.items)
        return None

    def conjunction(self, items) -> Query | None:
        positives = [self.build(i) for i in items if not isinstance(i, Not)]
        negatives = [self.build(i.item) for i in items if isinstance(i, Not)]
        positives = list(dict.fromkeys(q for q in positives if q is not None))
        negatives = list(dict.fromkeys(q for q in negatives if q is not None))
        query = (And(positives) if len(positives) > 1 else positives[0]) if positives else None
        if negatives:
            query = AndNot(query if query is not None else Every(), _any(negatives))
        return query

    def facet_values(self, node: Facet) -> tuple[str, ...]:
        values = match_facet_values(self.facets.value_sets(node.field), node.value)
        if not values:
            self.warnings.append(QueryWarning(node.start, f"aucune ressource avec {node.field} « {node.value} »"))
        return values

    def word(self, node: Word) -> Query | None:
        exact = self.text_query(node.text, node.fields)
        fuzzy = [self.text_query(w, node.fields, FUZZY_BOOST) for w in self.alternatives.get(node.start, ())]
        return _any([exact, *fuzzy])

    def text_query(self, text: str, fields, boost: float = 1.0) -> Query | None:
        """``text`` in each of ``fields`` (every text field by default), with the field boosts."""
        return _any([self.field_query(f, text, FIELD_BOOSTS.get(f, 1.0) * boost) for f in text_fields(fields)])

    def field_query(self, fieldname: str, text: str, boost: float) -> Query | None:
        groups = analysed(self.schema[fieldname], text)
        if not groups:
            return None
        if len(groups) == 1:
            return _any([Term(fieldname, t, boost=boost) for t in groups[0]])
        if all(len(g) == 1 for g in groups):
            return Phrase(fieldname, [g[0] for g in groups], boost=boost)
        return And([_any([Term(fieldname, t, boost=boost) for t in g]) for g in groups])

    def phrase(self, node: PhraseNode) -> Query | None:
        """Exact words in order (stop words included) on ``words``, ranked on the text fields."""
        plain = [g[0] for g in analysed(self.schema[WORDS_FIELD], node.text)]
        if not plain:
            return None
        exact = Term(WORDS_FIELD, plain[0]) if len(plain) == 1 else Phrase(WORDS_FIELD, plain)
        ranked = self.text_query(node.text, node.fields)
        return And([exact, ranked]) if ranked is not None else exact

    def prefix(self, node: Word) -> Query | None:
        """``constru*``: the most frequent words starting with ``constru``, each searched as typed."""
        plain = [g[0] for g in analysed(self.schema[WORDS_FIELD], node.text)]
        if not plain:
            return None
        head, last = " ".join(plain[:-1]), plain[-1]
        found = [b.decode("utf-8") for b in islice(self.reader.expand_prefix(WORDS_FIELD, last), PREFIX_SCAN)]
        found.sort(key=lambda w: -self.reader.doc_frequency(WORDS_FIELD, w))
        expanded = _any([self.text_query(f"{head} {w}", node.fields) for w in found[:MAX_EXPANSIONS]])
        return expanded if expanded is not None else Term(WORDS_FIELD, last)  # no such word: matches nothing


def _any(queries) -> Query | None:
    queries = list(dict.fromkeys(q for q in queries if q is not None))
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else Or(queries)
