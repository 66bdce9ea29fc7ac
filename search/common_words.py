"""Which words are common French: the language's own list, not the collection's.

A word the collection lacks may still be a plain French word (``tiers``
in a collection that names only the town of Thiers): it is then absent,
not misspelt. ``wordfreq``'s French list says how common a word is, as a
Zipf frequency (log10 of its count per billion words): 3 is about once
per million words, the line between words every reader knows and rare or
technical ones. The list (its "small" one: the words of Zipf 3 and more)
loads the first time a query needs it.
"""

from __future__ import annotations

from functools import lru_cache

COMMON_ZIPF = 3.0


@lru_cache(maxsize=20_000)
def zipf(word: str) -> float:
    """``word``'s Zipf frequency in French (0 for a word the list lacks), case aside.

    >>> zipf("tiers") > COMMON_ZIPF > zipf("enercoop")
    True
    """
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "fr", wordlist="small")   # the words of Zipf 3 and more


def is_common(word: str) -> bool:
    """A word of everyday French (``tiers``, ``sociale``), not a typo nor a rare or technical word.

    >>> is_common("tiers"), is_common("socialle"), is_common("artcle")
    (True, False, False)
    """
    return zipf(word) >= COMMON_ZIPF


@lru_cache(maxsize=20_000)
def is_french(word: str) -> bool:
    """A word French writes at all, however rarely (the large list): ``ressourcerie`` is one
    word, not ``ressource`` + ``rie``; ``tierslieux`` is none.

    >>> is_french("ressourcerie"), is_french("tierslieux")
    (True, False)
    """
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "fr") > 0
