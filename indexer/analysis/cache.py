"""The analysis of each surface word, computed once: indexing at the speed of a dict lookup.

French text repeats its words, and every filter of our chains works on one
token at a time except for position bookkeeping (``StopFilter`` renumbers
the kept tokens, ``CompoundFilter`` shifts what follows a compound). So a
text's tokens are the concatenation of each word's tokens, with positions
recomputed from two numbers per word:

- its *width*: how many positions it takes (0 for a stop word, 1 for a
  plain word, n for a compound of n parts);
- its tokens, each with its position and character offsets relative to
  the word.

Both are read off the real analyzer, run on the new words of a text
between sentinel words (``S w1 S w2 S``: the distance between two
sentinels gives the width of the word between them), so the cache cannot
drift from the chain it stands for. A stop word before the first kept word
still moves that word's position (``StopFilter`` keeps the first kept
token's own position). A word whose probe does not look as expected is
never cached: its whole text goes through the analyzer.
``tests/test_analysis_cache.py`` checks the cached tokens equal the
analyzer's, positions and offsets included, on the corpora and on
Hypothesis-generated text.
"""

from __future__ import annotations

from typing import Iterable

SENTINEL = "0qx0"

# A word's tokens: (text, position relative to the word, start offset, end offset).
Tokens = tuple[tuple[str, int, int, int], ...]


class _Uncacheable(Exception):
    """A word whose probe through the analyzer does not have the expected shape."""


class WordCache:
    """The tokens ``analyzer`` (index mode) makes of each surface word, computed once.

    ``analyzer`` is a Whoosh chain whose first item is a ``RegexTokenizer``.
    Up to ``max_words`` words are kept; the cache starts afresh beyond.
    Indexing needs only terms and positions (``positions``); ``offsets``
    keeps the character offsets too, for ``tokens`` (and twice the memory).

    >>> from indexer.analysis import french_analyzer
    >>> cache = WordCache(french_analyzer(), offsets=True)
    >>> cache.tokens("l'article 37 des co-constructions")
    [('articl', 0, 2, 9), ('37', 1, 10, 12), ('coconstruct', 2, 17, 33), ('co', 2, 17, 19), ('construct', 3, 20, 33)]
    """

    def __init__(self, analyzer, max_words: int = 500_000, offsets: bool = False):
        self.analyzer, self.max_words, self.offsets = analyzer, max_words, offsets
        self._regex = analyzer.items[0].expression
        self._findall = self._regex.findall
        # word → (width, tokens), or None when it cannot be cached; and the same for
        # indexing only: word → (width, ((term bytes, relative position), ...)).
        self._words: dict[str, tuple[int, Tokens] | None] = {}
        self._terms: dict[str, tuple[int, tuple[tuple[bytes, int], ...]] | None] = {}
        alone = self._analyse(SENTINEL)
        if len(alone) != 1:
            raise ValueError(f"sentinel {SENTINEL!r} is not one token under {analyzer!r}")
        self._sentinel = alone[0][0]

    def _analyse(self, text: str) -> list[tuple[str, int, int, int]]:
        tokens = self.analyzer(text, positions=True, chars=True, boosts=True, mode="index")
        return [(t.text, t.pos, t.startchar, t.endchar) for t in tokens if not t.stopped]

    def _probe(self, words: list[str]) -> None:
        """Analyse ``words`` in one call, ``S w1 S w2 … S``, and cache what each gives."""
        starts, parts, at = [], [SENTINEL], len(SENTINEL) + 1
        for word in words:
            starts.append(at)
            parts += [word, SENTINEL]
            at += len(word) + len(SENTINEL) + 2
        probe = " ".join(parts)
        found = self._analyse(probe)
        cuts = [i for i, token in enumerate(found) if token[0] == self._sentinel]
        if len(cuts) != len(words) + 1 or self._findall(probe) != parts:
            if len(words) > 1:  # a word in the batch breaks it: probe each alone
                for word in words:
                    self._probe([word])
            else:
                self._words[words[0]] = self._terms[words[0]] = None
            return
        for word, start, before, after in zip(words, starts, cuts, cuts[1:]):
            base = found[before][1] + 1
            tokens = tuple((text, pos - base, s - start, e - start) for text, pos, s, e in found[before + 1:after])
            width = found[after][1] - base
            if self.offsets:
                self._words[word] = (width, tokens)
            self._terms[word] = (width, tuple((text.encode("utf-8"), rel) for text, rel, _, _ in tokens))

    def _missing(self, words: list[str], known: dict) -> None:
        """Cache the words of one text not cached yet; a full cache starts afresh with the whole text's words."""
        missing = list(dict.fromkeys(w for w in words if w not in known))
        if not missing:
            return
        if len(self._terms) + len(missing) > self.max_words:
            self._words.clear()
            self._terms.clear()
            missing = list(dict.fromkeys(words))  # its words already known went with the rest
        self._probe(missing)

    def split(self, text: str) -> list[str]:
        """The surface words of ``text``, as the analyzer's tokenizer finds them."""
        return self._findall(text)

    def positions(self, texts: Iterable[str], split: list[list[str]] | None = None) -> dict[bytes, list[int]]:
        """Term (UTF-8 bytes) → its positions, over ``texts`` analysed as one text joined by newlines.

        What the analyzer's tokens give for indexing (``Positions.word_values``);
        joining by newlines is safe because no token spans a line break.
        ``split``, when given, is ``[self.split(text) for text in texts]``,
        computed once for several analyzers of the same tokenizer.
        """
        texts = list(texts)
        try:
            return self._positions(split if split is not None else [self._findall(text) for text in texts])
        except _Uncacheable:
            found: dict[bytes, list[int]] = {}
            for text, pos, _, _ in self._analyse("\n".join(texts)):
                found.setdefault(text.encode("utf-8"), []).append(pos)
            return found

    def _positions(self, split: list[list[str]]) -> dict[bytes, list[int]]:
        # The hot loop of indexing: one dict lookup per word.
        found: dict[bytes, list[int]] = {}
        terms = self._terms
        pos, kept = 0, False
        for words in split:
            for word in words:
                entry = terms.get(word, False)
                if entry is False:
                    self._missing(words, terms)
                    entry = terms[word]
                if entry is None:
                    raise _Uncacheable(word)
                width, tokens = entry
                if not width:  # a stop word: only one before the first kept word moves positions
                    pos += not kept
                    continue
                kept = True
                for term, rel in tokens:
                    if term in found:
                        found[term].append(pos + rel)
                    else:
                        found[term] = [pos + rel]
                pos += width
        return found

    def tokens(self, text: str) -> list[tuple[str, int, int, int]]:
        """``(text, position, startchar, endchar)`` of every token, as the analyzer makes them."""
        if not self.offsets:
            raise ValueError("a WordCache built without offsets gives positions only")
        matches = list(self._regex.finditer(text))
        words = [m.group() for m in matches]
        self._missing(words, self._words)
        if any(self._words.get(word) is None for word in words):
            return self._analyse(text)
        out: list[tuple[str, int, int, int]] = []
        pos, kept = 0, False
        for match, word in zip(matches, words):
            width, tokens = self._words[word]
            if not width:
                pos += not kept
                continue
            kept, start = True, match.start()
            out.extend((token, pos + rel, start + ds, start + de) for token, rel, ds, de in tokens)
            pos += width
        return out
