"""Words as both backends compare and show them: the typo rule, neighbours' order, written forms.

A typo's candidates come from each backend's vocabulary, but which of them
count as neighbours, in what order, and how a folded word is written back
(``reserves`` → ``réservés``) is one rule for the local index and the
cluster alike, so a query corrects and displays the same on both.
"""

from __future__ import annotations

import re
from collections import Counter

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
    pattern = spelled_like(word, hyphens=hyphenated)
    forms = Counter(m.group() for f in TEXT_FIELDS for m in pattern.finditer(stored.get(f) or ""))
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


def letters_of(word: str) -> str:
    """Regular expression source matching ``word`` with any accents and case."""
    return "".join(f"[{re.escape(_VARIANTS[c])}]" if c in _VARIANTS else re.escape(c) for c in word)
