"""The one Document model every ingester yields and the indexer writes.

Nothing downstream of ingestion knows where a document came from except
through ``source``, ``line`` and ``url``: the writer, the metadata step and
the search layer all speak ``Document``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Mapping
from urllib.parse import urlsplit


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
    # Office files: the date their properties give (last modified, else created), the
    # resource's date only when its text names none (``indexer.metadata``); not stored.
    file_date: str = ""

    def to_dict(self) -> dict:
        """Every field but ``file_date`` (not stored), tuples as lists: the JSON form of a resource.

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
        (a new record above it) has not changed and is not rewritten. So is
        ``source``: the same folder named ``corpus`` or ``/srv/rtes/corpus``
        holds the same documents (the indexing loop compares the resolved
        file instead).
        """
        data = self.to_dict()
        del data["line"], data["source"]
        if self.file_date:
            data["file_date"] = self.file_date
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


_FIELDS = tuple(f for f in fields(Document) if f.name != "file_date")
_TEXT_FIELDS = tuple(f for f in fields(Document) if f.type in ("str", "tuple[str, ...]"))


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


class LeftOut(IngestError):
    """A file or page read and deliberately not indexed (a README, a listing page, a format
    we do not read): not an error, but never dropped without saying why."""

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}" if self.line else f"{self.source}: {self.reason}"


class IngestWarning(IngestError):
    """A document kept without one of its values (an impossible date, an address that is not a link)."""


# The metadata a source may give with a document, by the names people write (a Markdown front
# matter, a JSON document): each is the Document attribute of the same name.
GIVEN_FIELDS = ("title", "summary", "type", "date", "year", "themes", "territories", "url", "private", "lang")
TRUE_VALUES = frozenset({"1", "true", "oui", "yes", "vrai", "o", "y"})
# The only addresses a resource may link to: a page or a file on the web, or a mail.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SURROGATE = re.compile("[\ud800-\udfff]")


def link_address(url: str) -> str | None:
    """``url`` as it may be stored (stripped), or None when it is not an http, https or mailto address.

    >>> link_address(" https://www.rtes.fr/ "), link_address("javascript:alert(1)"), link_address("/relative")
    ('https://www.rtes.fr/', None, None)
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or any(ord(c) < 32 for c in url):
        return None
    return url if parts.scheme.lower() == "mailto" or parts.netloc else None


def calendar_date(value: str) -> str | None:
    """``value`` as a stored date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), or None when it is no real date.

    An ISO date and time keeps its date; 31 June or month 13 are refused.

    >>> calendar_date("2018-06-05"), calendar_date("2018-06-31"), calendar_date("2018-13"), calendar_date("2021-03-15T10:00:00Z")
    ('2018-06-05', None, None, '2021-03-15')
    """
    value = value.strip()
    match = _ISO_DATE.match(value)
    if match is None:
        try:
            return datetime.fromisoformat(value).date().isoformat()
        except ValueError:
            return None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        return None
    return value


def checked(doc: Document) -> tuple[Document | IngestError, tuple[IngestWarning, ...]]:
    """``doc`` as it may be stored, whatever its source, with a warning for each value dropped.

    A text holding a lone surrogate (``"\\udfff"`` in a JSON line) cannot be
    written at all: the record is an IngestError. An impossible ``date`` or
    ``year`` and a ``url`` other than http, https or mailto (``javascript:…``)
    are dropped from the document, which is kept.
    """
    bad = _unwritable_field(doc)
    if bad:
        return IngestError(doc.source, doc.line, f"caractère invalide (demi-paire de substitution) dans « {bad} »"), ()
    kept, warnings = {}, []
    if doc.url and link_address(doc.url) != doc.url:
        kept["url"] = link_address(doc.url) or ""
        if not kept["url"]:
            warnings.append(f"adresse refusée (ni http, ni https, ni mailto) : {doc.url[:80]!r}")
    if doc.date and calendar_date(doc.date) != doc.date:
        kept["date"] = calendar_date(doc.date) or ""
        if not kept["date"]:
            warnings.append(f"date impossible ou illisible, non gardée : {doc.date[:40]!r}")
    if doc.year and not (len(doc.year) == 4 and calendar_date(doc.year)):
        kept["year"] = ""
        warnings.append(f"année illisible, non gardée : {doc.year[:40]!r}")
    if not kept:
        return doc, ()
    return replace(doc, **kept), tuple(IngestWarning(doc.source, doc.line, w) for w in warnings)


def _unwritable_field(doc: Document) -> str:
    """The name of the first text field UTF-8 cannot encode (a lone surrogate), "" when all can.

    One encoding of all the texts at once (a copy and a C loop, about 2 ms a
    million characters); the fields are looked at one by one only when it fails.
    """
    texts = [(f.name, getattr(doc, f.name)) for f in _TEXT_FIELDS]
    try:
        "\n".join(text if isinstance(text, str) else "\n".join(text) for _, text in texts).encode()
    except UnicodeEncodeError:
        return next(name for name, text in texts if _SURROGATE.search(text if isinstance(text, str) else "".join(text)))
    return ""


def _listed(value) -> tuple[str, ...]:
    items = value if isinstance(value, list) else str(value).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())


def given_values(given: Mapping) -> dict:
    """The Document fields of ``given`` (``GIVEN_FIELDS`` only; empty values left out), as written:
    lists or comma-separated strings for themes and territories, a boolean or ``oui``/``true``… for
    ``private``, text for the rest (``checked`` then drops what cannot be stored).

    >>> given_values({"title": "Fiche", "themes": "ESS, commande publique", "private": "oui", "year": 2019, "layout": "x"})
    {'title': 'Fiche', 'year': '2019', 'themes': ('ESS', 'commande publique'), 'private': True}
    """
    values: dict = {}
    for name in GIVEN_FIELDS:
        value = given.get(name)
        if value is None or value == "":
            continue
        if name in ("themes", "territories"):
            values[name] = _listed(value)
        elif name == "private":
            values[name] = value if isinstance(value, bool) else str(value).strip().lower() in TRUE_VALUES
        else:
            values[name] = str(value).strip()
    return values
