"""French analysis shared by indexing and querying.

The analyzer is a chain of small Whoosh filters joined with ``|``::

    tokenizer | ElisionFilter | LowercaseFilter | AccentFoldFilter | StopFilter

Accent folding comes before anything that compares words, so an unaccented
query finds accented text and the reverse (see ENGINE-NOTES, pitfall 1).
Every filter keeps ``startchar``/``endchar`` so highlights are drawn on the
original text, accents and apostrophes as written.

Filters are pickled into the index with the schema: keep their import path
stable, and bump ``ANALYZER_VERSION`` whenever what they produce changes, so
an old index is rebuilt instead of silently mismatching queries.
"""

from __future__ import annotations

import re

from unidecode import unidecode
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.lang.stopwords import stoplists

ANALYZER_VERSION = 1

# Words, with inner apostrophes kept so elision can see "l'article".
TOKEN_PATTERN = r"\w+(?:['’ʼ‘]\w+)*"

ELIDED_PREFIXES = ("l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu")
APOSTROPHES = "'’ʼ‘"


def fold(text: str) -> str:
    """Lowercase ASCII form of French text: ``"Économie"`` → ``"economie"``."""
    return unidecode(text).lower()


# Snowball's French stop list, folded; "les" is added (Whoosh's copy lacks it).
FRENCH_STOP_WORDS = frozenset(fold(w) for w in stoplists["fr"]) | {"les"}


class ElisionFilter(Filter):
    """Drop French elided articles and pronouns before an apostrophe.

    >>> [t.text for t in ElisionFilter()(RegexTokenizer(TOKEN_PATTERN)("l'article qu’il"))]
    ['article', 'il']
    """

    _pattern = re.compile(
        r"^(?:%s)[%s]" % ("|".join(ELIDED_PREFIXES), APOSTROPHES), re.IGNORECASE
    )

    def __call__(self, tokens):
        for t in tokens:
            match = self._pattern.match(t.text)
            if match and len(t.text) > match.end():
                if t.chars:
                    t.startchar += match.end()
                t.text = t.text[match.end():]
            yield t


class AccentFoldFilter(Filter):
    """Fold accents and ligatures to ASCII with unidecode.

    >>> [t.text for t in AccentFoldFilter()(RegexTokenizer()("économie cœur"))]
    ['economie', 'coeur']
    """

    def __call__(self, tokens):
        for t in tokens:
            t.text = unidecode(t.text)
            yield t


def plain_analyzer():
    """Words as written, folded: no stop words removed, nothing stemmed.

    It feeds the ``words`` field, whose vocabulary is the real words of the
    corpus (for typo tolerance and suggestions, see ENGINE-NOTES pitfalls
    5 and 6) and whose positions keep stop words (for exact phrases).
    """
    return RegexTokenizer(TOKEN_PATTERN) | ElisionFilter() | LowercaseFilter() | AccentFoldFilter()


def french_analyzer():
    """The analyzer of every ranked text field, for indexing and querying alike."""
    return plain_analyzer() | StopFilter(stoplist=FRENCH_STOP_WORDS, minsize=1)
