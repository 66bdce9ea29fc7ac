"""Metadata extraction: the step of the indexer that fills the facet fields.

Each facet has its own module and rule file in indexer/data/. Every rule
returns ``Evidence`` (the value, the rule, the span of text it came from):
``extract_metadata`` keeps the values, ``explain_metadata`` the evidence,
so what ``show --explain`` prints is exactly what the index holds. Values
a source already gives explicitly (a JSONL column mapped to ``type``) are
kept as they are.

The territory hierarchy (``territory_level``, ``territory_parents``,
``territories_by_level``, ``resolve_territory``) is exposed here for the faces that render or
filter territories by région → département → commune.
"""

from __future__ import annotations

from indexer.documents import Document
from indexer.metadata.hierarchy import resolve_territory, territories_by_level, territory_level, territory_parents
from indexer.metadata.resource_type import explain_type
from indexer.metadata.territories import explain_territories
from indexer.metadata.text import DocText, Evidence
from indexer.metadata.themes import explain_themes
from indexer.metadata.years import explain_date

__all__ = [
    "Evidence", "explain_metadata", "extract_metadata",
    "resolve_territory", "territories_by_level", "territory_level", "territory_parents",
]


def _explain_text(doc: Document) -> list[Evidence]:
    text = DocText(doc)
    return explain_type(text) + explain_date(text) + explain_themes(text) + explain_territories(text)


def _values(evidence: list[Evidence], facet: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(e.value for e in evidence if e.facet == facet))


def _year_of(date: str) -> str:
    """``"2021-03-15"`` → ``"2021"``; a date a source writes otherwise gives no year."""
    head = date.strip()[:4]
    return head if len(head) == 4 and head.isdigit() else ""


def extract_metadata(doc: Document) -> Document:
    """Return ``doc`` with type, year, date, themes and territories filled in."""
    evidence = _explain_text(doc)
    first = {facet: (_values(evidence, facet) or ("",))[0] for facet in ("type", "year", "date")}
    if doc.year or doc.date:
        # A source's own date or year wins over the text's; a date alone gives its year.
        year, date = doc.year or _year_of(doc.date), doc.date
    elif first["year"] or not doc.file_date:
        year, date = first["year"], first["date"]
    else:  # an office file's properties date it only when its text does not
        year, date = _year_of(doc.file_date), doc.file_date
    return doc.with_metadata(
        type=doc.type or first["type"],
        year=year,
        date=date,
        themes=doc.themes or _values(evidence, "theme"),
        territories=doc.territories or _values(evidence, "territory"),
    )


def explain_metadata(doc: Document) -> dict[str, list[Evidence]]:
    """For each facet of ``doc`` (as stored), the evidence of each of its values.

    A value no rule finds in the text was given by the source itself and is
    explained so; ``collection`` always comes from the source.
    """
    evidence = _explain_text(doc)
    stored = {
        "type": (doc.type,), "year": (doc.year,), "date": (doc.date,), "theme": doc.themes,
        "territory": doc.territories, "collection": (doc.collection,),
    }
    explained: dict[str, list[Evidence]] = {}
    for facet, values in stored.items():
        found = {e.value: e for e in evidence if e.facet == facet}
        explained[facet] = [
            found.get(value) or Evidence(facet, value, "valeur fournie par la source")
            for value in values if value
        ]
    return explained
