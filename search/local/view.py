"""What the planner knows of the local index for one caller: the ``IndexView`` of ``search.plan``.

Typo corrections, "did you mean", prefixes and completions all draw on
the ``words`` field: folded but not stemmed, stop words kept, so its terms
are real words (docs/engine-pitfalls.md, pitfalls 5 and 6). A term counts only
through the documents the caller may see (``visible``, a boolean mask),
so a word that appears only in private resources never comes out of a
suggestion, and a facet value only a private resource carries is never
resolved nor echoed. Words are shown as the corpus writes them
(``enercoop`` → ``Enercoop``, ``reserves`` → ``réservés``), read from one
visible document.
"""

from __future__ import annotations

import heapq
from itertools import islice

import numpy as np

from indexer.schema import TEXT_FIELDS, WORDS_FIELD as FIELD
from search.ranking import rank
from search.suggest import side_by_side_first, title_node
from search.words import ranked_neighbours, written_in

PREFIXES_KEPT = 10_000


class LocalView:
    """One caller's view of an open local index: ``postings`` arrays, ``facets`` and the caller's ``visible`` mask."""

    def __init__(self, searcher, evaluator, include_private: bool):
        self._searcher = searcher
        self._reader = searcher.reader()
        self._evaluator = evaluator
        self._postings = evaluator.postings
        self._facets = facets = evaluator.facets
        self._include_private = include_private
        self.visible = facets.visible(include_private)
        self._everything = bool(self.visible.all())
        # word → visible documents with it; at most one entry per word of the index, for this generation.
        self._visible_counts: dict[str, int] = {}
        # (prefix, limit, scan) → its words: a costly query's 26 prefixes read 384 terms each (5 ms).
        self._prefixes: dict[tuple[str, int, int], list[str]] = {}

    def analyzer(self, field: str):
        return self._searcher.schema[field].analyzer

    def facet_values(self, field: str) -> frozenset[str]:
        return self._facets.visible_values(field, self._include_private)

    def docs(self, word: str, field: str = FIELD) -> np.ndarray:
        """The visible documents with ``word`` in ``field`` (sorted document numbers)."""
        docs, _ = self._postings.get(field, word)
        return docs if self._everything else docs[self.visible[docs]]

    def doc_count(self, word: str, at_most: int = 1000) -> int:
        if self._everything:
            return min(self._reader.doc_frequency(FIELD, word), at_most)
        return min(self._visible_count(word), at_most)

    def counts(self, words) -> dict[str, int]:
        return {word: self.doc_count(word) for word in words}

    def ranked_doc_count(self, text: str) -> int:
        """Visible documents matching ``text`` in the ranked fields: ``entreprise`` is not in ``words``
        but matches ``entreprises`` there, so it is no typo."""
        found = [self.docs(t.text, name) for name in TEXT_FIELDS for t in self.analyzer(name)(text, mode="query")]
        return len(np.unique(np.concatenate(found))) if found else 0

    def neighbours(self, word: str, edits: int) -> list[tuple[str, int, int]]:
        from rapidfuzz.distance import Levenshtein  # only when a word may be a typo
        from rapidfuzz.process import extract

        # Levenshtein counts a swap of two letters as two edits; swaps are typos' commonest kind.
        swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(1, len(word) - 1)}
        endings = self._postings.vocabulary(FIELD).get(word[:1], [])
        close = extract(word[1:], endings, scorer=Levenshtein.distance, score_cutoff=edits, limit=None)
        others = {word[:1] + ending for ending, _, _ in close}
        others |= {w for w in swaps if (FIELD, w) in self._reader}
        return ranked_neighbours(word, {other: self.doc_count(other) for other in others - {word}})

    def prefix_words(self, prefix: str, limit: int, scan: int) -> list[str]:
        """``search.plan.IndexView.prefix_words``, kept for this generation and caller (at most
        ``PREFIXES_KEPT`` prefixes: then forgotten and read again)."""
        key = (prefix, limit, scan)
        if key not in self._prefixes:
            if len(self._prefixes) >= PREFIXES_KEPT:
                self._prefixes.clear()
            self._prefixes[key] = self._prefix_words(prefix, limit, scan)
        return list(self._prefixes[key])

    def _prefix_words(self, prefix: str, limit: int, scan: int) -> list[str]:
        # Each term's document frequency comes with it (one read of the term index, not one per word).
        found = islice(self._reader.iter_prefix(FIELD, prefix), scan)
        totals = sorted(((b.decode("utf-8"), info.doc_frequency()) for b, info in found), key=lambda pair: -pair[1])
        if self._everything:
            return [w for w, _ in totals[:limit]]
        # Ordered by what the caller may see, so private resources weigh on nothing offered to the public:
        # a word's visible count is at most its total, so once the totals left fall below the limit-th
        # visible count found, no word further down can enter (ties: alphabetical).
        best: list[int] = []   # the ``limit`` largest visible counts so far (a min-heap)
        counted = []
        for word, total in totals:
            if len(best) == limit and total < best[0]:
                break
            visible = self._visible_count(word)
            if visible:
                counted.append((word, visible))
                (heapq.heappush if len(best) < limit else heapq.heappushpop)(best, visible)
        return [w for w, _ in sorted(counted, key=lambda c: (-c[1], c[0]))][:limit]

    def _visible_count(self, word: str) -> int:
        """Visible documents with ``word``, read once per view without keeping its positions in the
        postings cache (typo candidates and completions would push the query's terms out)."""
        if word not in self._visible_counts:
            docs, _ = self._postings.read(FIELD, word)
            self._visible_counts[word] = int(self.visible[docs].sum())
        return self._visible_counts[word]

    def follows(self, previous: str, word: str) -> int:
        both = np.intersect1d(self.docs(previous), self.docs(word), assume_unique=True)
        return len(self._postings.phrase_docs(FIELD, (previous, word), both)) if len(both) else 0

    def titles(self, text: str, limit: int) -> list[str]:
        node = title_node(text, self)
        if node is None:
            return []
        ranked = rank(self._evaluator, [node], [], self.visible).best(limit * 2)
        return side_by_side_first([self._searcher.stored_fields(d).get("title") for d, _ in ranked], text, limit)

    def written(self, word: str, hyphenated: bool = False) -> str:
        docs = self.docs(word)
        if not len(docs):
            return word
        return written_in(self._searcher.stored_fields(int(docs[0])), word, hyphenated)
