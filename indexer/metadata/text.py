"""The text of a document as the extraction rules see it, and what they found.

Rules match on a folded copy of each field (lowercase, accents removed,
typographic apostrophes straightened) that keeps the length of the
original, so a match's offsets are also offsets into the original text:
``show --explain`` can quote the exact span that produced a value. That is
why this module folds with its own character table rather than with
``indexer.analysis.fold`` (unidecode turns "œ" into two letters).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from indexer.documents import Document

FIELDS = ("title", "summary", "body")


_MARKS = re.compile(r"[\u0300-\u036f]")


def _fold_table() -> dict[int, str]:
    table = {ord(c): "'" for c in "’‘ʼ"}
    for code in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        decomposed = unicodedata.normalize("NFD", chr(code))
        if len(decomposed) > 1 and not unicodedata.combining(decomposed[0]):
            table[code] = decomposed[0].lower()
    return table


_TABLE = _fold_table()


def fold_same_length(text: str) -> str:
    """Lowercase, unaccented copy of ``text`` with the same length.

    Decomposing (NFD) and dropping the combining marks is three times as
    fast as a per-character table; the table is the fallback for the rare
    text where decomposition changes the length (Hangul, say).

    >>> fold_same_length("Région Auvergne Rhöne Alpes, l’été")
    "region auvergne rhone alpes, l'ete"
    """
    if text.isascii():
        return text.lower()
    folded = _MARKS.sub("", unicodedata.normalize("NFD", text)).lower()
    folded = folded.replace("’", "'").replace("‘", "'").replace("ʼ", "'")
    return folded if len(folded) == len(text) else text.translate(_TABLE).lower()


@dataclass(frozen=True)
class Evidence:
    """One value found by one rule, and where: ``field[start:end]`` is the span."""

    facet: str
    value: str
    rule: str
    field: str = ""
    start: int = 0
    end: int = 0
    excerpt: str = ""

    def to_dict(self) -> dict:
        return {
            "value": self.value, "rule": self.rule, "field": self.field,
            "span": [self.start, self.end], "text": self.excerpt,
        }


class DocText:
    """A document's fields, original and folded; folding is done once, when first needed."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.original = {name: getattr(doc, name) or "" for name in FIELDS}

    @cached_property
    def folded(self) -> dict[str, str]:
        return {name: fold_same_length(text) for name, text in self.original.items()}

    def evidence(self, facet: str, value: str, rule: str, field: str, start: int, end: int) -> Evidence:
        """An Evidence quoting ``field[start:end]`` of the original text."""
        return Evidence(facet, value, rule, field, start, end, self.original[field][start:end])
