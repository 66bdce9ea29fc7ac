"""Turn what the user typed into a Whoosh query, leniently.

Plain words must all match (AND), in any of the text fields, each field
weighted as the schema says. An empty query matches every document (the
way to browse by filters alone). Text the parser cannot understand is
searched as plain words with a warning, never an error.
"""

from __future__ import annotations

import re

from whoosh import qparser
from whoosh.query import Every, Query

from indexer.schema import FIELD_BOOSTS, TEXT_FIELDS


def _parser(schema) -> qparser.MultifieldParser:
    return qparser.MultifieldParser(
        list(TEXT_FIELDS), schema, fieldboosts=FIELD_BOOSTS, group=qparser.AndGroup
    )


def parse_query(text: str, schema) -> tuple[Query, tuple[str, ...]]:
    """Return ``(query, warnings)``; never raises on user input."""
    if not text.strip():
        return Every(), ()
    parser = _parser(schema)
    try:
        return parser.parse(text), ()
    except Exception:  # Whoosh raises assorted errors on odd syntax
        words = " ".join(re.findall(r"\w+", text))
        plain = parser.parse(words) if words else Every()
        return plain, ("requête mal formée : recherchée comme des mots simples",)
