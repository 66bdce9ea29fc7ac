"""Completions for a search box: the next words and the titles the typed text leads to.

``"marchés rés"`` gives ``"marchés réservés"`` (the last word completed
from the visible vocabulary, most frequent first, written as the corpus
writes it) and the titles of visible resources whose title holds the
typed words, the last one as a prefix. Word completions come first, up
to half the list, then titles, then more words if titles run short.
"""

from __future__ import annotations

from search.compile import QueryBuilder
from search.query import All, Word

MAX_WORDS = 8


def completions(prefix: str, searcher, vocabulary, visible: frozenset[int], limit: int) -> list[str]:
    """Up to ``limit`` distinct completions of ``prefix`` (no duplicates, ignoring case)."""
    tokens = vocabulary.analyse(prefix[-1000:])[-MAX_WORDS:]
    if not tokens or prefix[-1:].isspace():
        words = []
    else:
        word, start, _ = tokens[-1]
        head = prefix[-1000:][:start]
        found = vocabulary.completions(word, limit, tokens[-2][0] if len(tokens) > 1 else None)
        words = [head + vocabulary.written(w) for w in found]
    titles = _titles(searcher, prefix[-1000:], vocabulary, visible, limit)
    half = -(-limit // 2)
    ordered = words[:half] + titles + words[half:]
    seen, out = set(), []
    for text in ordered:
        if text.casefold() not in seen and len(out) < limit:
            seen.add(text.casefold())
            out.append(text)
    return out


def _titles(searcher, prefix: str, vocabulary, visible: frozenset[int], limit: int) -> list[str]:
    tokens = vocabulary.analyse(prefix)[-MAX_WORDS:]
    if not tokens:
        return []
    complete = prefix[-1:].isspace()
    nodes = [Word(prefix[s:e], s, ("title",), prefix=(i == len(tokens) - 1 and not complete))
             for i, (_, s, e) in enumerate(tokens)]
    query = QueryBuilder(searcher, None).build(All(tuple(nodes)) if len(nodes) > 1 else nodes[0])
    if query is None:
        return []
    return [hit["title"] for hit in searcher.search(query, limit=limit, filter=set(visible)) if hit.get("title")]
