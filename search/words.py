"""Words as both backends compare and show them: the typo rule, neighbours' order, written forms.

A typo's candidates come from each backend's vocabulary, but which of them
count as neighbours, in what order, and how a folded word is written back
(``reserves`` → ``réservés``) is one rule for the local index and the
cluster alike, so a query corrects and displays the same on both.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import numpy as np
from whoosh.support.levenshtein import damerau_levenshtein

from indexer.analysis import fold
from indexer.schema import TEXT_FIELDS


def is_neighbour(word: str, other: str, edits: int) -> bool:
    """The typo rule of both backends: the same first letter, and the rest within ``edits``
    (Levenshtein), or the two letters of one place swapped (a typo's commonest kind)."""
    from rapidfuzz.distance import Levenshtein  # only when a word may be a typo

    if other[:1] != word[:1]:
        return False
    swapped = len(word) == len(other) and [i for i, (a, b) in enumerate(zip(word, other)) if a != b]
    if swapped and len(swapped) == 2 and swapped[1] == swapped[0] + 1 \
            and word[swapped[0]] == other[swapped[1]] and word[swapped[1]] == other[swapped[0]]:
        return True
    return Levenshtein.distance(word[1:], other[1:], score_cutoff=edits) <= edits


def ranked_neighbours(word: str, counts: dict[str, int]) -> list[tuple[str, int, int]]:
    """``(other, edits, documents)`` for each neighbour found in documents: fewest edits
    (Damerau-Levenshtein), then most documents, then alphabetical; ``word`` itself left out."""
    found = [(other, damerau_levenshtein(word, other), n) for other, n in counts.items() if n and other != word]
    found.sort(key=lambda f: (f[1], -f[2], f[0]))
    return found


def written_in(stored: dict, word: str, hyphenated: bool = False) -> str:
    """``word`` as one stored resource most often writes it (``reserves`` → ``réservés``); with
    ``hyphenated``, preferably with hyphens (``coconstruction`` → ``co-construction``); else as is."""
    forms: Counter = Counter()
    for name in TEXT_FIELDS:
        text = stored.get(name) or ""
        found = folded_text(text).whole_words(word, hyphenated)
        if found is None:
            found = [m.span() for m in spelled_like(word, hyphens=hyphenated).finditer(text)]
        forms.update(text[start:end] for start, end in found)
    if hyphenated and any("-" in form for form in forms):
        forms = Counter({form: n for form, n in forms.items() if "-" in form})
    return forms.most_common(1)[0][0] if forms else word


def _variants() -> dict[str, str]:
    """Each ASCII letter with every Latin letter that folds to it (``e`` → ``eéèêëEÉÈÊË…``)."""
    groups: dict[str, str] = {}
    for code in list(range(0x41, 0x5B)) + list(range(0x61, 0x7B)) + list(range(0xC0, 0x250)):
        char = chr(code)
        folded = fold(char)
        if len(folded) == 1 and folded.isalpha():  # digits stay digits ("Ǝ" folds to "3")
            groups[folded] = groups.get(folded, "") + char
    return groups


_VARIANTS = _variants()


def spelled_like(word: str, hyphens: bool = False) -> re.Pattern:
    """A pattern for the written forms of a folded word: ``reserves`` finds ``Réservés``;
    with ``hyphens``, also with hyphens between its letters (``coconstruction``: ``co-construction``).

    >>> spelled_like("reserves").findall("marchés réservés")
    ['réservés']
    >>> spelled_like("coconstruction", hyphens=True).findall("la Co-construction")
    ['Co-construction']
    """
    letters = [letters_of(c) for c in word]
    return re.compile(r"(?<![\w-])" + ("-?" if hyphens else "").join(letters) + r"(?![\w-])")


# One byte per character of a text: the ASCII letter an accented or capital Latin letter folds to
# (``É`` → ``e``), ASCII as is, any other character ``OTHER_WORD`` (a word character) or
# ``OTHER`` (not). "×" folds to "x" but is no word character: a text holding it keeps the patterns.
OTHER_WORD, OTHER = 0x80, 0x81
_UNFOLDED = "×"
_PLAIN = 0x3000  # beyond (rare in French text), each character's kind is looked up in Python


def _byte_table() -> np.ndarray:
    table = np.array([code if code < 0x80 else OTHER_WORD if _is_word(chr(code)) else OTHER
                      for code in range(_PLAIN)], dtype=np.uint8)
    for folded, letters in _VARIANTS.items():
        for letter in letters:
            if letter not in _UNFOLDED:
                table[ord(letter)] = ord(folded)
    return table


def _is_word(char: str) -> bool:
    """Whether ``char`` is a word character for ``re`` (a letter, a digit or ``_``)."""
    return char.isalnum() or char == "_"


_BYTES = _byte_table()
_WORD_BYTES = frozenset(b for b in range(256) if b == OTHER_WORD or (b < 0x80 and _is_word(chr(b))))
_HYPHEN = ord("-")
_WORD_OR_HYPHEN = _WORD_BYTES | {_HYPHEN}


class FoldedText:
    """A text with each letter folded in place, to find where a folded word is written in it.

    ``letters_of`` patterns (a class of every accented and capital form per
    letter) find a word's written forms but scan a text slowly, once per
    word: snippets look for every query term's first letters in each hit's
    text (a third of an ordinary search's time). Folded one character to one
    byte, the text keeps its offsets, and a folded word is found by a plain
    ``bytes.find``: the same places as its ``letters_of`` pattern, at word
    starts. ``at_word_starts`` answers None when the text or the word is
    outside what the folding covers (the caller then uses the pattern).
    """

    def __init__(self, text: str):
        self.folded = None if any(c in text for c in _UNFOLDED) else _fold_bytes(text)
        self._unhyphenated: tuple[np.ndarray, bytes] | None = None   # made on first use

    def at_word_starts(self, word: str) -> list[tuple[int, int]] | None:
        """``(start, end)`` of every place ``letters_of(word)`` matches after no word character, in
        text order; None when only the pattern can tell (a word with other than lowercase ASCII letters,
        digits and ASCII punctuation, or a text holding "×")."""
        return self._find(word, _WORD_BYTES, None)

    def whole_words(self, word: str, hyphens: bool = False) -> list[tuple[int, int]] | None:
        """``(start, end)`` of every place ``spelled_like(word, hyphens)`` matches (neither a word
        character nor a hyphen on either side), in text order; None as for ``at_word_starts``."""
        if not hyphens:
            return self._find(word, _WORD_OR_HYPHEN, _WORD_OR_HYPHEN)
        if self.folded is None or not word or not _plain(word) or "-" in word:
            return None
        if self._unhyphenated is None:
            letters = np.frombuffer(self.folded, dtype=np.uint8)
            kept = np.flatnonzero(letters != _HYPHEN)
            self._unhyphenated = kept, letters[kept].tobytes()
        kept, bare = self._unhyphenated
        folded = self.folded

        def place(at: int) -> tuple[int, int] | None:  # found without its hyphens: at most one between
            start, end = int(kept[at]), int(kept[at + len(word) - 1]) + 1  # two letters, none around
            if b"--" not in folded[start:end] and _alone(folded, start, end, _WORD_OR_HYPHEN, _WORD_OR_HYPHEN):
                return start, end
            return None

        return _scan(bare, word.encode("ascii"), place)

    def _find(self, word: str, not_before: frozenset[int], not_after: frozenset[int] | None):
        if self.folded is None or not word or not _plain(word):
            return None
        folded = self.folded

        def place(at: int) -> tuple[int, int] | None:
            end = at + len(word)
            return (at, end) if _alone(folded, at, end, not_before, not_after) else None

        return _scan(folded, word.encode("ascii"), place)


def _alone(folded: bytes, start: int, end: int, not_before: frozenset[int], not_after: frozenset[int] | None) -> bool:
    """Whether ``folded[start:end]`` follows none of ``not_before`` and precedes none of ``not_after``."""
    return (not start or folded[start - 1] not in not_before) and \
        (not_after is None or end == len(folded) or folded[end] not in not_after)


def _scan(haystack: bytes, needle: bytes, place) -> list[tuple[int, int]]:
    """The ``place(at)`` of each ``needle`` in ``haystack`` that it accepts (None: refused), as
    ``finditer`` finds matches: after an accepted one, the next starts beyond it."""
    found, at = [], haystack.find(needle)
    while at >= 0:
        span = place(at)
        if span is None:
            at = haystack.find(needle, at + 1)
        else:
            found.append(span)
            at = haystack.find(needle, at + len(needle))
    return found


@lru_cache(maxsize=256)
def folded_text(text: str) -> FoldedText:
    """``FoldedText(text)``, kept for the texts seen last: one hit's text is searched for each field's
    terms, and the same pages come back across queries."""
    return FoldedText(text)


def _plain(word: str) -> bool:
    """True when each character of ``word`` folds to itself: lowercase ASCII letters, digits, punctuation."""
    return word.isascii() and not any("A" <= c <= "Z" for c in word)


def _fold_bytes(text: str) -> bytes:
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    folded = _BYTES[np.minimum(codes, _PLAIN - 1)]
    for at in np.flatnonzero(codes >= _PLAIN).tolist():
        folded[at] = OTHER_WORD if _is_word(text[at]) else OTHER
    return folded.tobytes()


def letters_of(word: str) -> str:
    """Regular expression source matching ``word`` with any accents and case."""
    return "".join(f"[{re.escape(_VARIANTS[c])}]" if c in _VARIANTS else re.escape(c) for c in word)
