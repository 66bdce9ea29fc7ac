"""Stemming of folded French words, with protected words left alone.

Stemming runs after accent folding, so ``sécurités`` and ``securite`` meet
(stemming first made ``securite sociale`` find nothing, docs/engine-pitfalls.md,
pitfall 1). Acronyms of the thesaurus are protected: ``SIAE`` must not
lose its ``e``. The algorithm was chosen by measurement (README,
"French analysis"); the others stay selectable for the benchmark script
``scripts/bench/stemmers.py`` that measured them.
"""

from __future__ import annotations

from functools import lru_cache

from whoosh.analysis import Filter

STEMMERS = ("none", "minimal", "snowball", "simplemma")


def minimal_stem(word: str) -> str:
    """Lucene's FrenchMinimalStemmer (Savoy): plural and final ``r``/``e`` only.

    >>> [minimal_stem(w) for w in ("marches", "chevaux", "reserver", "salariee")]
    ['march', 'cheval', 'reserv', 'salari']
    """
    if len(word) < 6:
        return word
    if word.endswith("x"):
        return word[:-3] + "al" if word.endswith("aux") else word[:-1]
    for ending in ("s", "r", "e", "e"):  # the second "e" was an "é" before folding
        if word.endswith(ending):
            word = word[:-1]
    if len(word) > 1 and word[-1] == word[-2] and word[-1].isalpha():
        word = word[:-1]
    return word


def _stem_function(algorithm: str):
    if algorithm == "minimal":
        return minimal_stem
    if algorithm == "snowball":
        import Stemmer

        return Stemmer.Stemmer("french").stemWord
    if algorithm == "simplemma":
        import simplemma

        return lambda word: simplemma.lemmatize(word, lang="fr").lower()
    return lambda word: word


class FrenchStemFilter(Filter):
    """Stem each token with ``algorithm``; words in ``protected`` and numbers stay.

    >>> from whoosh.analysis import RegexTokenizer
    >>> f = FrenchStemFilter("snowball", protected={"siae"})
    >>> [t.text for t in f(RegexTokenizer()("structures siae 2019"))]
    ['structur', 'siae', '2019']
    """

    def __init__(self, algorithm: str = "snowball", protected=frozenset()):
        if algorithm not in STEMMERS:
            raise ValueError(f"unknown stemmer {algorithm!r}, expected one of {STEMMERS}")
        self.algorithm = algorithm
        self.protected = frozenset(protected)

    def __getstate__(self):
        return {"algorithm": self.algorithm, "protected": self.protected}

    def __setstate__(self, state):
        self.__dict__.update(state)

    @property
    def _stem(self):
        stem = self.__dict__.get("_cached")
        if stem is None:
            stem = self.__dict__["_cached"] = lru_cache(maxsize=200_000)(_stem_function(self.algorithm))
        return stem

    def __eq__(self, other):
        return type(other) is type(self) and self.__getstate__() == other.__getstate__()

    def __call__(self, tokens):
        stem, protected = self._stem, self.protected
        for t in tokens:
            if t.text not in protected and not t.text[:1].isdigit():
                t.text = stem(t.text)
            yield t
