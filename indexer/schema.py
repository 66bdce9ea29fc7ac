"""The one Whoosh schema of the index, and the weight of each text field.

The indexer writes with ``SCHEMA``; the search side reads the schema back
from the opened index and never builds another one.
"""

from __future__ import annotations

from whoosh.columns import VarBytesColumn
from whoosh.fields import BOOLEAN, COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from indexer.analysis import STEMMER, french_analyzer, plain_analyzer

# Bumped whenever a field is added, removed or changes its type or options:
# an index written with another schema is rebuilt, never half-updated.
SCHEMA_VERSION = 4

# Ranking weight of each text field (BM25F): title above summary above body.
FIELD_BOOSTS = {"title": 3.0, "summary": 1.5, "body": 1.0}
TEXT_FIELDS = tuple(FIELD_BOOSTS)

# The words field holds these fields again, joined by newlines, unstemmed and with stop
# words (see build_schema): the vocabulary of corrections and completions, and exact phrases.
WORDS_FIELD = "words"
WORDS_PARTS = ("title", "summary", "body")

# Facet fields; theme and territory hold several values each.
FACET_FIELDS = ("type", "year", "theme", "territory")
MULTI_VALUED = frozenset({"theme", "territory"})


class TextColumn(COLUMN):
    """A string kept in a per-document column only: read for every document at once, never searched.

    Not indexed, so it adds no term per document: the content hashes of
    101,194 documents were 101,194 terms of one posting each, a fifth of
    the terms the end of a build writes one by one.
    """

    def __init__(self):
        super().__init__(VarBytesColumn())

    def to_column_value(self, value: str) -> bytes:
        return value.encode("utf-8")

    def from_column_value(self, value: bytes) -> str:
        return value.decode("utf-8")


def _facet(multi: bool):
    if multi:
        return KEYWORD(stored=True, commas=True, lowercase=False, scorable=False)
    return ID(stored=True)


def build_schema(stemmer: str = STEMMER) -> Schema:
    """Build the schema; called by the indexer only (and the stemmer benchmark)."""
    analyzer = french_analyzer(stemmer)
    fields = {
        # Columns: incremental runs read id, hash, origin and first-indexing
        # time from columns instead of unpickling every stored document.
        "id": ID(stored=True, unique=True, sortable=True),
        "title": TEXT(analyzer=analyzer, stored=True, phrase=True),
        "summary": TEXT(analyzer=analyzer, stored=True, phrase=True),
        "body": TEXT(analyzer=analyzer, stored=True, phrase=True),
        # Title, summary and body again, unstemmed and with stop words: the
        # vocabulary for typo tolerance and suggestions, and exact phrases.
        WORDS_FIELD: TEXT(analyzer=plain_analyzer(), phrase=True),
        "collection": ID(stored=True),
        "private": BOOLEAN(stored=True),
        "date": ID(stored=True, sortable=True),
        "source": STORED(),
        # The resolved path of the source file, read by incremental runs: a
        # file read again is the truth for the documents it produced.
        "origin": TextColumn(),
        "line": STORED(),
        "url": STORED(),
        # Incremental indexing compares this digest with the ingested document's.
        "content_hash": TextColumn(),
        # When the resource was first indexed (ISO 8601 UTC, to the second),
        # kept across updates and rebuilds: the date of a resource without one.
        "indexed_at": ID(stored=True, sortable=True),
        "lang": ID(stored=True),
        "fetched_at": STORED(),
        "attachments": STORED(),
    }
    fields.update({name: _facet(name in MULTI_VALUED) for name in FACET_FIELDS})
    return Schema(**fields)


SCHEMA = build_schema()
