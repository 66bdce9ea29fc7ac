"""The one Document model every ingester yields and the indexer writes.

Nothing downstream of ingestion knows where a document came from except
through ``source``, ``line`` and ``url``: the writer, the metadata step and
the search layer all speak ``Document``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields, replace


@dataclass(frozen=True)
class Document:
    """A resource of the library, as ingested and then enriched with metadata.

    ``themes`` and ``territories`` are tuples because a resource can be about
    several of each; ``year`` is a string so that it is a facet value as is.
    """

    id: str
    title: str
    body: str = ""
    summary: str = ""
    collection: str = ""
    private: bool = False
    source: str = ""
    line: int = 0
    url: str = ""
    type: str = ""
    year: str = ""
    date: str = ""
    themes: tuple[str, ...] = field(default=())
    territories: tuple[str, ...] = field(default=())
    # Web sources: the page's language, when it was fetched, the URLs of the
    # files (PDF guides) whose text was appended to the body.
    lang: str = ""
    fetched_at: str = ""
    attachments: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        """Every field, tuples as lists: the JSON form of a resource.

        Built field by field: ``dataclasses.asdict`` deep-copies recursively,
        and this runs twice per document when indexing (the content hash).
        """
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in ((f.name, getattr(self, f.name)) for f in _FIELDS)
        }

    def content_hash(self) -> str:
        """A digest of everything ingested about the resource except where it sits.

        ``line`` is left out: a record that only moved down its export file
        (a new record above it) has not changed and is not rewritten.
        """
        data = self.to_dict()
        del data["line"]
        return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def with_metadata(self, **values) -> "Document":
        """Return a copy with the given metadata fields set (documents are frozen)."""
        return replace(self, **values)


_FIELDS = fields(Document)


@dataclass(frozen=True)
class IngestError:
    """A record that could not be read: where it is and why, never an exception."""

    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"
