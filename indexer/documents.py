"""The one Document model every ingester yields and the indexer writes.

Nothing downstream of ingestion knows where a document came from except
through ``source``, ``line`` and ``url``: the writer, the metadata step and
the search layer all speak ``Document``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace


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

    def to_dict(self) -> dict:
        """Every field, tuples as lists: the JSON form of a resource."""
        data = asdict(self)
        data["themes"] = list(self.themes)
        data["territories"] = list(self.territories)
        return data

    def with_metadata(self, **values) -> "Document":
        """Return a copy with the given metadata fields set (documents are frozen)."""
        return replace(self, **values)


@dataclass(frozen=True)
class IngestError:
    """A record that could not be read: where it is and why, never an exception."""

    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"
