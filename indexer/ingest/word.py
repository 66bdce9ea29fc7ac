"""Word files (``.docx``) through python-docx.

Paragraphs and table rows in document order; the first paragraph styled
"Title" or "Heading …" is the heading of last resort for the title.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator
from zipfile import BadZipFile

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from indexer.documents import Document, IngestError
from indexer.ingest.office import file_document, property_date


def _blocks(document) -> Iterator[tuple[str, bool]]:
    """``(text, is_heading)`` of every paragraph of the body in document order; a table row is
    one paragraph, its cells separated by " ; "."""
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                yield " ; ".join(dict.fromkeys(cell.text.strip() for cell in row.cells if cell.text.strip())), False
        else:
            yield block.text, _is_heading(block)


def _is_heading(paragraph: Paragraph) -> bool:
    name = paragraph.style.name if paragraph.style is not None else ""
    return name == "Title" or name.startswith("Heading")


def ingest_docx(path: Path) -> Iterator[Document | IngestError]:
    """One ``.docx`` file: one Document."""
    try:
        document = docx.Document(str(path))
        blocks = list(_blocks(document))
        properties = document.core_properties
    except (BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        yield IngestError(str(path), 0, f"fichier Word illisible : {exc}")
        return
    heading = next((text for text, is_heading in blocks if text.strip() and is_heading), "")
    yield file_document(
        path, [text for text, _ in blocks], title=properties.title or "", heading=heading,
        file_date=property_date(properties.modified, properties.created),
        lang=(properties.language or "").split("-")[0].lower(),
    )
