"""The Typesense collection: which fields it indexes, and a Document as a Typesense document.

Typesense 0.24 has no French stemming, no French stop words, and its
``locale: fr`` turns accent folding off (docs/engine-pitfalls.md, pitfall 10). So it never sees the
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
  phrases, the vocabulary of typo corrections and completions, whose
  distinct words are also written to a collection of their own:
  ``indexer.cluster.vocabulary``);
- ``*_length`` (``title_length``…``words_length``): how many terms each of
  those four fields holds, facets whose sums give the average lengths BM25
  needs; ``positions``, stored only: where a term does not stand one
  position after the previous one (a compound's joined form shares the
  position of its first part), so that phrases and proximity are checked
  on the terms exactly as on the local index;
- ``type``, ``year``, ``theme``, ``territory``: facets, named as in the local
  index (territories with their roll-ups, as ``extract_metadata`` gives them);
  an empty value is left out, since "" would count as a value of its own;
- ``private`` to filter on, ``date_key`` to sort by date (the resource's
  date, else when it was first indexed, as the local index sorts);
- stored only: ``content_hash``, ``indexed_at`` and ``origin`` (what an
  indexing run compares).

The texts (``title``, ``summary``, ``body``, ``date``, ``url`` and the
provenance fields) live in a collection of their own beside it,
``C.texts`` (``split``), with what display needs again (facets,
``private``, ``indexed_at``) and ``words``, indexed there so that the
planner finds how a word is written (a visible document holding it) in
the same round trip as its counts. Typesense reads a candidate's whole
stored document, whatever ``include_fields`` keeps: on the 101,194 law
articles (2,851 bytes a document, 1,637 without the texts) the ranked
request of 96 bench queries took 16.7–17.1 ms (``search_time_ms`` 12)
with the texts and 12.9–13.2 ms (8.5–9) without them. Only the ten
documents shown are read from ``C.texts``.
"""

from __future__ import annotations

from indexer.documents import stored_values
from indexer.schema import FACET_FIELDS, MULTI_VALUED, SCHEMA, TEXT_FIELDS, WORDS_FIELD

# Typesense fields of the analysed text fields, with their weights in a query
# (query_by_weights: integers up to 127, in the ratio of FIELD_BOOSTS 3 : 1.5 : 1).
TERM_FIELDS = {name: f"{name}_terms" for name in TEXT_FIELDS}
TERM_WEIGHTS = {"title_terms": 6, "summary_terms": 3, "body_terms": 2}
POSITIONS = "positions"
DATE_KEY = "date_key"
# The analysed fields, named as in the local schema, and the Typesense field holding their terms.
ANALYSED_FIELDS = {**TERM_FIELDS, WORDS_FIELD: WORDS_FIELD}
LENGTHS = {name: f"{name}_length" for name in ANALYSED_FIELDS}
# Bump when the fields below or what is written into them change: a
# collection written by another version is rebuilt, not updated.
CLUSTER_SCHEMA_VERSION = 3
# The collection of the texts beside collection C (module docstring).
TEXTS_SUFFIX = ".texts"
# Fields written to the texts collection only, and those written to both.
TEXTS_ONLY = ("title", "summary", "body", "date", "url", "collection", "source", "line", "lang", "fetched_at",
              "attachments")
TEXTS_TOO = ("id", *FACET_FIELDS, "private", "indexed_at", WORDS_FIELD)


def collection_schema(name: str) -> dict:
    """The Typesense 0.24 schema of a collection called ``name``."""
    text = [{"name": field, "type": "string"} for field in ANALYSED_FIELDS.values()]
    facets = [
        {"name": name_, "type": "string[]" if name_ in MULTI_VALUED else "string", "facet": True, "optional": True}
        for name_ in FACET_FIELDS
    ]
    counted = [{"name": length, "type": "int32", "facet": True} for length in LENGTHS.values()]
    flags = [{"name": "private", "type": "bool"}, {"name": DATE_KEY, "type": "int64"}]
    return {"name": name, "fields": [*text, *facets, *counted, *flags]}


def texts_name(collection: str) -> str:
    """The texts collection of ``collection``."""
    return f"{collection}{TEXTS_SUFFIX}"


def texts_schema(name: str) -> dict:
    """The texts collection: ``words`` and ``private`` indexed (which visible document holds a word), the
    rest stored only."""
    return {"name": name, "fields": [{"name": WORDS_FIELD, "type": "string"}, {"name": "private", "type": "bool"}]}


def split(document: dict) -> tuple[dict, dict]:
    """``document`` (``to_cluster``) as the ranked collection's document and the texts collection's.

    >>> ranked, texts = split({"id": "a", "title": "Les SCIC", "title_terms": "scic", "words": "les scic",
    ...                        "private": False, "content_hash": "h"})
    >>> ranked
    {'id': 'a', 'title_terms': 'scic', 'words': 'les scic', 'private': False, 'content_hash': 'h'}
    >>> texts
    {'id': 'a', 'private': False, 'words': 'les scic', 'title': 'Les SCIC'}
    """
    ranked = {name: value for name, value in document.items() if name not in TEXTS_ONLY}
    texts = {name: document[name] for name in (*TEXTS_TOO, *TEXTS_ONLY) if name in document}
    return ranked, texts


def analysed_terms(field: str, text: str) -> tuple[list[str], list[list[int]]]:
    """The terms of ``text`` through the analyzer of ``field`` in ``SCHEMA``, and where their positions jump.

    The second list holds ``[index, shift]`` for each term whose position is
    not the previous one's plus one (``shift`` = the difference): the first
    term after a removed stop word, a compound's joined form (at the
    position of its first part). Whoosh indexes these very positions.

    >>> analysed_terms("title", "La co-construction des politiques")
    (['coconstruct', 'co', 'construct', 'polit'], [[0, 1], [1, -1]])
    """
    terms, moves, previous = [], [], -1
    for token in SCHEMA[field].analyzer(text or "", positions=True, mode="index"):
        if token.pos != previous + 1:
            moves.append([len(terms), token.pos - previous - 1])
        terms.append(token.text)
        previous = token.pos
    return terms, moves


def date_key(date: str) -> int:
    """A sortable integer for an ISO date or time of any precision: newest is largest, none is 0.

    It orders like the date strings themselves (the local index sorts them
    as text): a month sorts before the days of that month, a day before
    its times.

    >>> [date_key(d) for d in ("2018-12-04", "2017-09", "2016", "2026-01-02T03:04:05Z", "")]
    [20181204000000, 20170900000000, 20160000000000, 20260102030405, 0]
    """
    digits = "".join(c for c in (date or "")[:19] if c.isdigit())
    if len(digits) not in (4, 6, 8, 10, 12, 14) or not (date or "")[:4].isdigit():
        return 0
    return int(digits.ljust(14, "0"))


def to_cluster(fields: dict) -> dict:
    """The document to send for ``fields`` (``indexer.sync.document_fields``: the local index's fields).

    The text fields are stored as they are and analysed into their
    ``*_terms`` fields; ``words`` becomes its analysis; comma-joined facets
    become lists; a facet without a value stays absent.
    """
    document = {name: value for name, value in fields.items() if name not in (*FACET_FIELDS, WORDS_FIELD)}
    positions = {}
    for name, target in ANALYSED_FIELDS.items():
        terms, moves = analysed_terms(name, fields.get(name, ""))
        document[target], document[LENGTHS[name]] = " ".join(terms), len(terms)
        if moves:
            positions[name] = moves
    document[POSITIONS] = positions
    for name in FACET_FIELDS:
        value = fields.get(name)
        if value:
            document[name] = list(stored_values(value)) if name in MULTI_VALUED else value
    document["private"] = bool(fields.get("private"))
    document[DATE_KEY] = date_key(fields.get("date") or fields.get("indexed_at", ""))
    return document
