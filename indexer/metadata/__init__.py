"""Metadata extraction: the step of the indexer that fills the facet fields.

Each facet has its own module and rule file; ``extract_metadata`` applies
them all to an ingested Document and returns the enriched copy. Values a
source already gives explicitly (an HTML page's type, say) are kept.
"""

from __future__ import annotations

from indexer.documents import Document
from indexer.metadata.resource_type import extract_type
from indexer.metadata.themes import extract_themes
from indexer.metadata.territories import extract_territories
from indexer.metadata.years import extract_date

__all__ = ["extract_metadata"]


def extract_metadata(doc: Document) -> Document:
    """Return ``doc`` with type, year, date, themes and territories filled in."""
    year, date = (doc.year, doc.date) if doc.year else extract_date(doc)
    return doc.with_metadata(
        type=doc.type or extract_type(doc),
        year=year,
        date=date,
        themes=doc.themes or extract_themes(doc),
        territories=doc.territories or extract_territories(doc),
    )
