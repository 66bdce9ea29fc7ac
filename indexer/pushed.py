"""What a pushed document may hold: JSON fields checked one by one into a ``Document``.

The write API (and its Python form) takes ``title``, ``text`` and the
optional ``summary``, ``type``, ``date`` or ``year``, ``themes``,
``territories``, ``url``, ``private`` and ``lang``. A field of the wrong
kind, an impossible date, an address that is not ``http``, ``https`` or
``mailto``, or a field nobody knows (a typo would otherwise vanish) is an
``InvalidFieldError`` naming the field, in French. Metadata not given is
extracted from the text when the document is indexed, exactly as for files.
"""

from __future__ import annotations

import re

from indexer.documents import Document, IngestError, IngestWarning, calendar_date, link_address
from indexer.errors import IndexerError
from indexer.journal import PUSHED_SOURCE

MAX_ID_CHARS = 500
TEXT_FIELDS = ("title", "text", "summary", "type", "url", "lang")
LIST_FIELDS = ("themes", "territories")
FIELDS = (*TEXT_FIELDS, *LIST_FIELDS, "date", "year", "private", "id")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class InvalidFieldError(IndexerError):
    """A pushed document's field cannot be taken as it is; ``field`` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(f"champ « {field} » invalide : {message}")
        self.field = field


def _text(data: dict, name: str) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidFieldError(name, "texte attendu")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidFieldError(name, "caractère invalide (moitié de paire de substitution)") from None
    return value


def _values(data: dict, name: str) -> tuple[str, ...]:
    value = data.get(name) or []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidFieldError(name, "liste de textes attendue")
    return tuple(v.strip() for v in value if v.strip() and _text({name: v}, name))


def _date(data: dict) -> str:
    value = _text(data, "date").strip()
    if value and calendar_date(value) != value:
        raise InvalidFieldError("date", f"date AAAA-MM-JJ existante attendue (reçu {value!r})")
    return value


def _year(data: dict, date: str) -> str:
    value = data.get("year", "")
    value = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(value, str) or (value and not re.fullmatch(r"[12]\d{3}", value)):
        raise InvalidFieldError("year", "année sur quatre chiffres attendue")
    if value and date and not date.startswith(value):
        raise InvalidFieldError("year", f"l'année {value} contredit la date {date}")
    return value


def _url(data: dict) -> str:
    value = _text(data, "url").strip()
    if value and link_address(value) != value:
        raise InvalidFieldError("url", "adresse http, https ou mailto attendue")
    return value


def check_id(doc_id) -> str:
    """A document id as the API takes it: a non-empty text without control characters."""
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise InvalidFieldError("id", "identifiant non vide attendu")
    if len(doc_id) > MAX_ID_CHARS or _CONTROL.search(doc_id):
        raise InvalidFieldError("id", f"au plus {MAX_ID_CHARS} caractères, sans caractère de contrôle")
    return _text({"id": doc_id}, "id")


def pushed_document(doc_id: str, data) -> Document:
    """The Document of a pushed JSON object, or the ``InvalidFieldError`` of its first bad field.

    ``id`` in ``data``, when given, must be ``doc_id``.

    >>> pushed_document("a", {"title": "Guide", "text": "Du texte.", "themes": ["Tourisme"]}).themes
    ('Tourisme',)
    >>> pushed_document("a", {"title": "Guide", "date": "2018-06-31"})
    Traceback (most recent call last):
    indexer.pushed.InvalidFieldError: champ « date » invalide : date AAAA-MM-JJ existante attendue (reçu '2018-06-31')
    """
    if not isinstance(data, dict):
        raise InvalidFieldError("document", "objet JSON attendu")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise InvalidFieldError(unknown[0], f"champ inconnu (champs possibles : {', '.join(FIELDS[:-1])})")
    doc_id = check_id(doc_id)
    if "id" in data and data["id"] != doc_id:
        raise InvalidFieldError("id", "l'identifiant du document diffère de celui de l'adresse")
    title = _text(data, "title").strip()
    if not title:
        raise InvalidFieldError("title", "titre non vide attendu")
    if not isinstance(data.get("private", False), bool):
        raise InvalidFieldError("private", "true ou false attendu")
    date = _date(data)
    return Document(
        id=doc_id, title=title, body=_text(data, "text"), summary=_text(data, "summary").strip(),
        type=_text(data, "type").strip(), date=date, year=_year(data, date), url=_url(data),
        themes=_values(data, "themes"), territories=_values(data, "territories"),
        private=data.get("private", False), lang=_text(data, "lang").strip(), source=PUSHED_SOURCE,
    )


def uploaded_documents(data: bytes, name: str, fields: dict, doc_id: str | None) -> tuple[list[Document], list[IngestError]]:
    """The documents of a file received as bytes under ``name``, read as ``index`` reads a file of
    that name (``indexer.ingest.ingest_upload``), with ``fields`` (the JSON fields of
    ``pushed_document``, checked the same way) over what the file says; ``doc_id`` names the
    document when the file holds one. What could not be read, or was dropped, comes back as
    ``IngestError``s; a file read as a whole as nothing (an unknown format, an empty file) is an
    ``InvalidFieldError`` of ``file`` saying why."""
    from indexer.ingest import ingest_upload

    items = ingest_upload(data, name)
    found = [item for item in items if isinstance(item, Document)]
    errors = [item for item in items if isinstance(item, IngestError)]
    whole = [e for e in errors if e.line == 0 and not isinstance(e, IngestWarning)]
    if not found and whole:
        raise InvalidFieldError("file", whole[0].reason)
    if doc_id is not None and len(found) > 1:
        raise InvalidFieldError("id", f"le fichier contient {len(found)} ressources : un identifiant n'en nomme qu'une")
    return [_with_fields(doc, fields, doc_id or doc.id) for doc in found], errors


def _with_fields(doc: Document, fields: dict, doc_id: str) -> Document:
    """``doc`` as read from its file, ``fields`` over it, checked as a pushed document."""
    data = {"title": doc.title, "text": doc.body, "summary": doc.summary, "type": doc.type, "date": doc.date,
            "year": doc.year, "themes": list(doc.themes), "territories": list(doc.territories), "url": doc.url,
            "private": doc.private, "lang": doc.lang}
    return pushed_document(doc_id, {**data, **fields})
