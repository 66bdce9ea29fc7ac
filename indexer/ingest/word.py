"""Word files (``.docx``) through python-docx.

Paragraphs and table rows in document order; the first paragraph styled
"Title" or "Heading …" is the heading of last resort for the title.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from indexer.documents import Document, IngestError
from indexer.ingest.office import core_properties, read_office_file


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


def _read(path: Path) -> dict:
    document = docx.Document(str(path))
    blocks = list(_blocks(document))
    heading = next((text for text, is_heading in blocks if text.strip() and is_heading), "")
    return dict(core_properties(document.core_properties), paragraphs=[text for text, _ in blocks], heading=heading)


def ingest_docx(path: Path) -> Iterator[Document | IngestError]:
    """One ``.docx`` file: one Document."""
    return read_office_file(path, "Word", _read)
