"""Word-level rules of written French: inclusive writing, legal references,
ordinals and hyphenated compounds.

Each filter makes the spellings people use for one thing produce the same
token: ``élu·e·s`` and ``élus``, ``art. 37`` and ``article 37``,
``L2113-15`` and ``L. 2113-15``, ``1ère`` and ``1re``. The compound filter
is the only one that adds tokens; it sets their positions so that phrase
queries keep working (see its docstring).
"""

from __future__ import annotations

import re

from whoosh.analysis import Filter


class InclusiveWritingFilter(Filter):
    """French inclusive writing to the masculine plural or singular.

    ``élu·e·s``, ``élu.e.s`` and ``élu•e•s`` become ``élus``;
    ``agent·es`` becomes ``agents``; ``salarié·e`` becomes ``salarié``.

    >>> from whoosh.analysis import RegexTokenizer
    >>> [t.text for t in InclusiveWritingFilter()(RegexTokenizer(r"\\S+")("élu·e·s agent.es"))]
    ['élus', 'agents']
    """

    _separator = re.compile(r"[·•.]")

    def __call__(self, tokens):
        for t in tokens:
            parts = () if t.text.isalnum() else self._separator.split(t.text)
            if len(parts) > 1 and parts[0]:
                t.text = parts[0] + ("s" if parts[-1].endswith("s") else "")
            yield t


class LegalReferenceFilter(Filter):
    """One token for each way of writing a legal reference.

    ``art`` (from ``art.``) is ``article``; ``n°`` is ``numero``; a code
    article number written ``L2113-15`` loses its letter, as when written
    ``L. 2113-15`` (where ``L`` is a separate token, a stop word).

    >>> from whoosh.analysis import RegexTokenizer
    >>> [t.text for t in LegalReferenceFilter()(RegexTokenizer(r"\\S+")("art 37 n° 4 l2113-15"))]
    ['article', '37', 'numero', '4', '2113-15']
    """

    _words = {"art": "article", "n°": "numero", "num": "numero", "numéro": "numero"}
    _code_article = re.compile(r"^[lrd](\d+(?:-\d+)*)$")

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            if text in self._words:
                t.text = self._words[text]
            elif text[:1] in "lrd" and text[1:2].isdigit():
                match = self._code_article.match(text)
                if match:
                    t.text = match.group(1)
            yield t


class OrdinalFilter(Filter):
    """French ordinals in one spelling: ``1er`` for the first, ``6e`` after.

    Runs on folded text: ``1ère``, ``1re``, ``1ere`` → ``1er``;
    ``6ème``, ``6eme``, ``6ieme``, ``6e`` → ``6e``; ``2nd`` → ``2e``.

    >>> from whoosh.analysis import RegexTokenizer
    >>> [t.text for t in OrdinalFilter()(RegexTokenizer(r"\\S+")("1ere 1re 13eme 6e"))]
    ['1er', '1er', '13e', '6e']
    """

    _ordinal = re.compile(r"^(\d+)(?:er|ere|re|e|eme|ieme|em|nd|nde)$")

    def __call__(self, tokens):
        for t in tokens:
            match = t.text[:1].isdigit() and self._ordinal.match(t.text)
            if match:
                number = match.group(1)
                t.text = "1er" if number == "1" else number + "e"
            yield t


class CompoundFilter(Filter):
    """Hyphenated compounds match their parts, the spaced and the joined form.

    When indexing, ``co-construction`` gives ``co`` and ``construction`` at
    consecutive positions (so the phrase "co construction" matches) and the
    joined ``coconstruction`` at the position of the first part. When
    querying, only the parts are produced, so a phrase around a compound
    lines up with the indexed positions. Number ranges (``2113-15``) stay
    whole; parts in ``stoplist`` are dropped (``mise-en-oeuvre``).

    >>> from whoosh.analysis import RegexTokenizer
    >>> tokens = CompoundFilter()(RegexTokenizer(r"\\S+")("co-construction des", positions=True))
    >>> [(t.text, t.pos) for t in tokens]
    [('coconstruction', 0), ('co', 0), ('construction', 1), ('des', 2)]
    """

    _number_range = re.compile(r"^[\d-]+$")

    def __init__(self, stoplist=frozenset()):
        self.stoplist = frozenset(stoplist)

    def __call__(self, tokens):
        shift = 0
        for t in tokens:
            if "-" not in t.text or self._number_range.match(t.text):
                if t.positions:
                    t.pos += shift
                yield t
                continue
            parts = [p for p in t.text.split("-") if p and p not in self.stoplist]
            if t.positions:
                t.pos += shift
                shift += max(len(parts) - 1, 0)
            yield from self._split(t, parts)

    def _split(self, t, parts):
        text, start, first_pos = t.text, t.startchar if t.chars else 0, t.pos if t.positions else 0
        same_length = t.chars and t.endchar - t.startchar == len(text)
        if t.mode != "query" and len(parts) > 1:
            t.text = "".join(parts)
            yield t
        offset = 0
        for i, part in enumerate(parts):
            offset = text.index(part, offset)
            t.text = part
            if t.positions:
                t.pos = first_pos + i
            if same_length:
                t.startchar, t.endchar = start + offset, start + offset + len(part)
            offset += len(part)
            yield t
