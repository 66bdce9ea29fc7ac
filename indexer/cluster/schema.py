"""The Typesense collection: which fields it indexes, and a Document as a Typesense document.

Typesense 0.24 has no French stemming, no French stop words, and its
``locale: fr`` turns accent folding off (ENGINE-NOTES). So it never sees the
text as written: it indexes our own analysis, the terms of
``indexer.schema.SCHEMA``'s analyzers joined by spaces, and the search side
sends it query terms through the same analyzers. The original title,
summary and body are stored beside them, unindexed (a field absent from the
schema is kept on disk and returned, not indexed), for display and for our
own snippets.

Fields, by use:

- ``title_terms``, ``summary_terms``, ``body_terms``: the stemmed French
  analysis of each text field (what words are searched in, weights 3/2/1);
- ``words``: the unstemmed analysis of all three, stop words kept (exact
  phrases, prefixes, the vocabulary of typo corrections);
- ``type``, ``year``, ``theme``, ``territory``: facets, named as in the local
  index (territories with their roll-ups, as ``extract_metadata`` gives them);
  an empty value is left out, since "" would count as a value of its own;
- ``private`` to filter on, ``date_key`` to sort by date;
- stored only: ``title``, ``summary``, ``body``, ``date``, ``url``,
  ``content_hash``, ``indexed_at`` and the provenance fields.
"""

from __future__ import annotations

from indexer.documents import Document
from indexer.schema import FACET_FIELDS, MULTI_VALUED, SCHEMA, TEXT_FIELDS

# Typesense fields of the analysed text fields, with their weights in a query
# (query_by_weights: integers, title above summary above body).
TERM_FIELDS = {name: f"{name}_terms" for name in TEXT_FIELDS}
TERM_WEIGHTS = {"title_terms": 3, "summary_terms": 2, "body_terms": 1}
WORDS_FIELD = "words"
DATE_KEY = "date_key"
# Bump when the fields below or what is written into them change: a
# collection written by another version is rebuilt, not updated.
CLUSTER_SCHEMA_VERSION = 1


def collection_schema(name: str) -> dict:
    """The Typesense 0.24 schema of a collection called ``name``."""
    text = [{"name": field, "type": "string"} for field in (*TERM_FIELDS.values(), WORDS_FIELD)]
    facets = [
        {"name": name_, "type": "string[]" if name_ in MULTI_VALUED else "string", "facet": True, "optional": True}
        for name_ in FACET_FIELDS
    ]
    flags = [{"name": "private", "type": "bool"}, {"name": DATE_KEY, "type": "int64"}]
    return {"name": name, "fields": [*text, *facets, *flags]}


def analysed(field: str, text: str) -> str:
    """``text`` through the analyzer of ``field`` in ``SCHEMA``, terms joined by spaces.

    >>> analysed("title", "Les marchés réservés")
    'march reserv'
    >>> analysed("words", "Les marchés réservés")
    'les marches reserves'
    """
    return " ".join(token.text for token in SCHEMA[field].analyzer(text or ""))


def date_key(date: str) -> int:
    """A sortable integer for an ISO date of any precision: newest is largest, none is 0.

    It orders like the date strings themselves (the local index sorts them
    as text): a month sorts before the days of that month.

    >>> [date_key(d) for d in ("2018-12-04", "2017-09", "2016", "")]
    [20181204, 20170900, 20160000, 0]
    """
    digits = "".join(part for part in (date or "")[:10].split("-"))
    if not digits.isdigit() or len(digits) not in (4, 6, 8):
        return 0
    return int(digits.ljust(8, "0"))


def to_cluster(fields: dict) -> dict:
    """The document to send for ``fields`` (``indexer.sync.document_fields``: the local index's fields).

    The text fields are stored as they are and analysed into their
    ``*_terms`` fields; ``words`` becomes its analysis; comma-joined facets
    become lists; a facet without a value stays absent.
    """
    document = {name: value for name, value in fields.items() if name not in (*FACET_FIELDS, WORDS_FIELD)}
    document.update({TERM_FIELDS[name]: analysed(name, fields.get(name, "")) for name in TEXT_FIELDS})
    document[WORDS_FIELD] = analysed("words", fields.get("words", ""))
    for name in FACET_FIELDS:
        value = fields.get(name)
        if value:
            document[name] = [v for v in value.split(",") if v] if name in MULTI_VALUED else value
    document["private"] = bool(fields.get("private"))
    document[DATE_KEY] = date_key(fields.get("date", ""))
    return document


def stored_document(fields: dict) -> Document:
    """The ``Document`` a collection's stored fields describe (for ``show``)."""
    return Document(
        id=fields["id"],
        title=fields.get("title", ""),
        body=fields.get("body", ""),
        summary=fields.get("summary", ""),
        collection=fields.get("collection", ""),
        private=bool(fields.get("private")),
        source=fields.get("source", ""),
        line=fields.get("line", 0),
        url=fields.get("url", ""),
        type=fields.get("type", ""),
        year=fields.get("year", ""),
        date=fields.get("date", ""),
        themes=tuple(fields.get("theme", ())),
        territories=tuple(fields.get("territory", ())),
        lang=fields.get("lang", ""),
        fetched_at=fields.get("fetched_at", ""),
        attachments=tuple(fields.get("attachments", ())),
    )
