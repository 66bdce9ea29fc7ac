"""The one Document model every ingester yields and the indexer writes.

Nothing downstream of ingestion knows where a document came from except
through ``source``, ``line`` and ``url``: the writer, the metadata step and
the search layer all speak ``Document``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields, replace
from typing import Mapping


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

    @classmethod
    def from_stored(cls, stored: Mapping) -> "Document":
        """The Document an index's stored fields describe (``indexer.sync.document_fields``, read back).

        One reading for both backends: the local index and the Typesense
        collection store the same names, multi-valued facets under ``theme``
        and ``territory`` (see ``stored_values``).
        """
        return cls(
            id=stored["id"],
            title=stored.get("title", ""),
            body=stored.get("body", ""),
            summary=stored.get("summary", ""),
            collection=stored.get("collection", ""),
            private=bool(stored.get("private")),
            source=stored.get("source", ""),
            line=stored.get("line", 0),
            url=stored.get("url", ""),
            type=stored.get("type", ""),
            year=stored.get("year", ""),
            date=stored.get("date", ""),
            themes=stored_values(stored.get("theme")),
            territories=stored_values(stored.get("territory")),
            lang=stored.get("lang", ""),
            fetched_at=stored.get("fetched_at", ""),
            attachments=tuple(stored.get("attachments") or ()),
        )


_FIELDS = fields(Document)


def stored_values(value) -> tuple[str, ...]:
    """A multi-valued facet as an index stores it: comma-joined in Whoosh, a list in Typesense.

    >>> stored_values("Hauts-de-France,Lille (59)"), stored_values(["Lille (59)"]), stored_values(None)
    (('Hauts-de-France', 'Lille (59)'), ('Lille (59)',), ())
    """
    if isinstance(value, str):
        return tuple(v for v in value.split(",") if v)
    return tuple(value or ())


@dataclass(frozen=True)
class IngestError:
    """A record that could not be read: where it is and why, never an exception."""

    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"
