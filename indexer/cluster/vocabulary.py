"""The vocabulary beside each collection: one small document per distinct word, for typo corrections
and completions.

Typo corrections need the words within one or two edits of a typed word,
completions the words starting with what is typed. Typesense finds both
among the terms of a field (its typo tolerance, its prefix search), but
over the documents' long ``words`` field it cannot list which words it
found without highlighting every document (hundreds of milliseconds), and
its facet queries stop at an exact match. So the writer keeps, beside
collection ``C``, a collection ``C.words`` of the words of its documents:
``word`` (the unstemmed, folded term of the ``words`` field) and
``documents``, how many documents held it when it was written — only an
order of preference (the most frequent words first when a prefix has
more than a page of them): the search side counts the documents each
caller may see itself. Words of deleted documents stay (counted 0 there).
"""

from __future__ import annotations

from collections import Counter

SUFFIX = ".words"
BATCH_SIZE = 2000


def vocabulary_name(collection: str) -> str:
    """The vocabulary collection of ``collection``."""
    return f"{collection}{SUFFIX}"


def vocabulary_schema(name: str) -> dict:
    """A word and how many documents held it (Typesense tries frequent words first for a prefix)."""
    return {"name": name, "fields": [{"name": "word", "type": "string"}, {"name": "documents", "type": "int32"}],
            "default_sorting_field": "documents"}


class WordCounts:
    """The distinct words of the documents written in one run, with their document counts."""

    def __init__(self):
        self.counts: Counter[str] = Counter()

    def add(self, words: str) -> None:
        """Count the distinct words of one document's ``words`` field (space-separated terms)."""
        self.counts.update(set(words.split()))

    def batches(self):
        """The word documents to import, ``BATCH_SIZE`` at a time."""
        words = [{"id": word, "word": word, "documents": count} for word, count in self.counts.items()]
        for start in range(0, len(words), BATCH_SIZE):
            yield words[start:start + BATCH_SIZE]
