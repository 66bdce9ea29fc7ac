"""French analysis shared by indexing and querying.

The analyzer is a chain of small Whoosh filters joined with ``|``::

    tokenizer | Normalise | Elision | Lowercase | InclusiveWriting
              | LegalReference | AccentFold | Ordinal | Stop | Compound | Stem

Accent folding comes before anything that compares words, so an unaccented
query finds accented text and the reverse (docs/engine-pitfalls.md, pitfall 1).
Every filter keeps ``startchar``/``endchar`` so highlights are drawn on the
original text, accents and apostrophes as written.

Filters are pickled into the index with the schema: keep their import path
stable, and bump ``ANALYZER_VERSION`` whenever what they produce changes, so
an old index is rebuilt instead of silently mismatching queries.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.lang.stopwords import stoplists

from indexer.analysis.french import CompoundFilter, InclusiveWritingFilter, LegalReferenceFilter, OrdinalFilter
from indexer.analysis.normalise import APOSTROPHES, AccentFoldFilter, ElisionFilter, NormaliseFilter, fold
from indexer.analysis.stemming import STEMMERS, FrenchStemFilter

__all__ = [
    "ANALYZER_VERSION", "TOKEN_PATTERN", "FRENCH_STOP_WORDS", "STEMMER", "STEMMERS", "THESAURUS_PATH",
    "fold", "french_analyzer", "plain_analyzer", "protected_words",
    "AccentFoldFilter", "CompoundFilter", "ElisionFilter", "FrenchStemFilter", "InclusiveWritingFilter",
    "LegalReferenceFilter", "NormaliseFilter", "OrdinalFilter",
]

ANALYZER_VERSION = 3

# Words with their inner apostrophes and hyphens (for elision and compounds),
# inclusive-writing suffixes (élu·e·s, agent.es), and "n°".
_INCLUSIVE = r"(?:[·•.](?:e|es|s|ne|nes|le|les|te|tes|se|ses|rice|rices|euse|euses|ice|ices|x)\b)*"
TOKEN_PATTERN = r"[nN][°º]|\w+(?:[%s\-‐‑]\w+)*%s" % (APOSTROPHES, _INCLUSIVE)

# Snowball's French stop list, folded; "les" is added (Whoosh's copy lacks it).
FRENCH_STOP_WORDS = frozenset(fold(w) for w in stoplists["fr"]) | {"les"}

# The stemmer chosen by measurement on the CDTN dev topics (README).
STEMMER = "snowball"

THESAURUS_PATH = Path(__file__).resolve().parent.parent / "data" / "thesaurus.tsv"


@lru_cache(maxsize=1)
def protected_words() -> frozenset[str]:
    """The thesaurus acronyms (one word in capitals, as a key or an expansion), folded: never stemmed
    (``siae`` keeps its ``e``); names written otherwise (``France Active``) are stemmed like any text."""
    with THESAURUS_PATH.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        forms = [form.strip() for row in rows for form in [row["acronym"], *row["expansion"].split("|")]]
        return frozenset(fold(form) for form in forms if form.isalpha() and form.isupper())


def _words():
    return (
        RegexTokenizer(TOKEN_PATTERN) | NormaliseFilter() | ElisionFilter() | LowercaseFilter()
        | InclusiveWritingFilter()
    )


def plain_analyzer():
    """Words as written, folded: no stop words removed, nothing stemmed.

    It feeds the ``words`` field, whose vocabulary is the real words of the
    corpus (for typo tolerance and suggestions, docs/engine-pitfalls.md, pitfalls
    5 and 6) and whose positions keep stop words (for exact phrases).
    """
    return _words() | AccentFoldFilter() | CompoundFilter()


def french_analyzer(stemmer: str = STEMMER):
    """The analyzer of every ranked text field, for indexing and querying alike."""
    return (
        _words() | LegalReferenceFilter() | AccentFoldFilter() | OrdinalFilter()
        | StopFilter(stoplist=FRENCH_STOP_WORDS, minsize=1)
        | CompoundFilter(FRENCH_STOP_WORDS) | FrenchStemFilter(stemmer, protected_words())
    )
