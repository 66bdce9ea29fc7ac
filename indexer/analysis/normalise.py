"""Character-level normalisation: Unicode forms, apostrophes, elision, accents.

These filters make spellings of the same word equal (``l’Économie`` and
``l'economie``) without changing which words there are. They only touch
``text``; ``startchar`` moves forward when elision drops a prefix, so
highlights land on the original word.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode
from whoosh.analysis import Filter

APOSTROPHES = "'’ʼ‘´"

# Typographic apostrophes and quotes to ASCII; ligatures spelled out;
# the masculine ordinal sign (``nº``) as the degree sign (``n°``).
_TRANSLATION = str.maketrans({
    **{c: "'" for c in APOSTROPHES},
    **{c: '"' for c in "«»“”„"},
    "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "º": "°",
    "\u2010": "-", "\u2011": "-",
})

ELIDED_PREFIXES = ("l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu")


class NormaliseFilter(Filter):
    """Unicode NFKC, ASCII apostrophes and quotes, ligatures spelled out.

    >>> from whoosh.analysis import RegexTokenizer
    >>> [t.text for t in NormaliseFilter()(RegexTokenizer(r"\\S+")("l’œuvre ﬁnale"))]
    ["l'oeuvre", 'finale']
    """

    def __call__(self, tokens):
        for t in tokens:
            if not t.text.isascii():  # ASCII is already normal: skip the common case
                t.text = unicodedata.normalize("NFKC", t.text.translate(_TRANSLATION))
            yield t


class ElisionFilter(Filter):
    """Drop French elided articles and pronouns before an apostrophe.

    >>> from whoosh.analysis import RegexTokenizer
    >>> [t.text for t in ElisionFilter()(RegexTokenizer(r"\\S+")("l'article qu’il"))]
    ['article', 'il']
    """

    _pattern = re.compile(r"^(?:%s)[%s]" % ("|".join(ELIDED_PREFIXES), APOSTROPHES), re.IGNORECASE)

    def __call__(self, tokens):
        for t in tokens:
            match = None if t.text.isalnum() else self._pattern.match(t.text)
            if match and len(t.text) > match.end():
                if t.chars:
                    t.startchar += match.end()
                t.text = t.text[match.end():]
            yield t


class AccentFoldFilter(Filter):
    """Fold accents to ASCII with unidecode.

    >>> from whoosh.analysis import RegexTokenizer
    >>> [t.text for t in AccentFoldFilter()(RegexTokenizer()("économie Réseau"))]
    ['economie', 'Reseau']
    """

    def __call__(self, tokens):
        for t in tokens:
            if not t.text.isascii():
                t.text = unidecode(t.text)
            yield t


def fold(text: str) -> str:
    """Lowercase ASCII form of French text: ``"Économie"`` → ``"economie"``."""
    return unidecode(text).lower()
