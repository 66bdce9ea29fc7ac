"""The words a caller may see: the ``words`` field restricted to visible documents.

Typo corrections, "did you mean" and completions all draw on this
vocabulary. The ``words`` field is folded but not stemmed and keeps stop
words, so its terms are real words (ENGINE-NOTES, pitfalls 5 and 6). A
term counts only through the documents the caller may see, so a word that
appears only in private resources never comes out of a suggestion. Words
are shown as the corpus writes them (``enercoop`` → ``Enercoop``,
``reserves`` → ``réservés``), read from one visible document.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import islice

from whoosh.query import Phrase
from whoosh.support.levenshtein import damerau_levenshtein

from indexer.analysis import fold
from indexer.schema import TEXT_FIELDS

FIELD = "words"
PREFIX_SCAN = 5000
CANDIDATES = 30
RANK_CAP = 1000


class Vocabulary:
    """Visible words of one open searcher, for one caller (public or with private access)."""

    def __init__(self, searcher, visible: frozenset[int]):
        self._searcher = searcher
        self._reader = searcher.reader()
        self._visible = visible
        self._everything = len(visible) == self._reader.doc_count_all()

    def analyse(self, text: str):
        """Folded tokens of ``text`` with their character ranges: ``[(word, start, end)]``."""
        analyzer = self._searcher.schema[FIELD].analyzer
        return [(t.text, t.startchar, t.endchar) for t in analyzer(text, chars=True, mode="query")]

    def doc_count(self, word: str, at_most: int = RANK_CAP) -> int:
        """How many visible documents contain ``word``, counting no further than ``at_most``.

        The cap keeps a frequent word cheap on a large index: callers only
        need "none", "one" or "many" and an order among close words.
        """
        if self._everything:
            return min(self._reader.doc_frequency(FIELD, word), at_most)
        if (FIELD, word) not in self._reader:
            return 0
        count = 0
        for docnum in self._reader.postings(FIELD, word).all_ids():
            count += docnum in self._visible
            if count >= at_most:
                break
        return count

    def ranked_doc_count(self, text: str) -> int:
        """How many visible documents match ``text`` in the ranked text fields.

        Those fields are stemmed: ``entreprise`` is not in ``words`` but
        matches ``entreprises`` there, so it is no typo.
        """
        docs: set[int] = set()
        for name in TEXT_FIELDS:
            for token in self._searcher.schema[name].analyzer(text, mode="query"):
                if (name, token.text) in self._reader:
                    docs.update(self._reader.postings(name, token.text).all_ids())
        return len(docs & self._visible)

    def neighbours(self, word: str, edits: int) -> list[tuple[str, int, int]]:
        """Visible words within ``edits`` (Damerau-Levenshtein) of ``word``, sharing its first letter.

        Returns ``[(word, distance, doc_count)]``, closest then most frequent first.
        """
        found = []
        # Whoosh's automaton counts a swap of two letters as two edits; swaps are typos' commonest kind.
        swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(1, len(word) - 1)}
        others = set(self._reader.terms_within(FIELD, word, edits, prefix=1))
        others |= {w for w in swaps if (FIELD, w) in self._reader}
        for other in others - {word}:
            count = self.doc_count(other)
            if count:
                found.append((other, damerau_levenshtein(word, other), count))
        found.sort(key=lambda f: (f[1], -f[2], f[0]))
        return found

    def completions(self, prefix: str, limit: int, previous: str | None = None) -> list[str]:
        """Visible words starting with ``prefix``, most frequent first.

        After a ``previous`` word, words found right after it come first
        (``marchés rés`` completes to ``réservés`` before ``réseau``).
        """
        words = [b.decode("utf-8") for b in islice(self._reader.expand_prefix(FIELD, prefix), PREFIX_SCAN)]
        words.sort(key=lambda w: -self._reader.doc_frequency(FIELD, w))
        visible = [w for w in words[:CANDIDATES] if w != prefix and self.doc_count(w, at_most=1)]
        if previous is not None:
            visible.sort(key=lambda w: -self._follows(previous, w))
        return visible[:limit]

    def _follows(self, previous: str, word: str) -> int:
        """In how many visible documents ``word`` comes right after ``previous``."""
        return len(self._visible.intersection(self._searcher.docs_for_query(Phrase(FIELD, [previous, word]))))

    def written(self, word: str) -> str:
        """``word`` as the corpus most often writes it, read from one visible document."""
        if (FIELD, word) not in self._reader:
            return word
        docnum = next((d for d in self._reader.postings(FIELD, word).all_ids() if d in self._visible), None)
        if docnum is None:
            return word
        stored = self._searcher.stored_fields(docnum)
        pattern = spelled_like(word)
        forms = Counter(m.group() for f in TEXT_FIELDS for m in pattern.finditer(stored.get(f) or ""))
        return forms.most_common(1)[0][0] if forms else word


def _variants() -> dict[str, str]:
    """Each ASCII letter with every Latin letter that folds to it (``e`` → ``eéèêëEÉÈÊË…``)."""
    groups: dict[str, str] = {}
    for code in list(range(0x41, 0x5B)) + list(range(0x61, 0x7B)) + list(range(0xC0, 0x250)):
        char = chr(code)
        folded = fold(char)
        if len(folded) == 1 and folded.isalnum():
            groups[folded] = groups.get(folded, "") + char
    return groups


_VARIANTS = _variants()


def spelled_like(word: str) -> re.Pattern:
    """A pattern for the written forms of a folded word: ``reserves`` finds ``Réservés``.

    >>> spelled_like("reserves").findall("marchés réservés")
    ['réservés']
    """
    return re.compile(rf"(?<!\w){letters_of(word)}(?!\w)")


def letters_of(word: str) -> str:
    """Regular expression source matching ``word`` with any accents and case."""
    return "".join(f"[{re.escape(_VARIANTS[c])}]" if c in _VARIANTS else re.escape(c) for c in word)
