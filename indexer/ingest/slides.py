"""PowerPoint files (``.pptx``) through python-pptx.

The text of every shape of every slide, slide by slide (a table row is one
paragraph, its cells separated by " ; "); the first slide's title is the
heading of last resort for the document's title.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator
from zipfile import BadZipFile

import pptx
from pptx.exc import PackageNotFoundError

from indexer.documents import Document, IngestError
from indexer.ingest.office import file_document, property_date


def _texts(slide) -> Iterator[str]:
    for shape in slide.shapes:
        if shape.has_text_frame:
            yield from (paragraph.text for paragraph in shape.text_frame.paragraphs)
        if getattr(shape, "has_table", False) and shape.has_table:
            yield from (" ; ".join(cell.text for cell in row.cells if cell.text.strip()) for row in shape.table.rows)


def ingest_pptx(path: Path) -> Iterator[Document | IngestError]:
    """One ``.pptx`` file: one Document."""
    try:
        presentation = pptx.Presentation(str(path))
        slides = list(presentation.slides)
        paragraphs = [text for slide in slides for text in _texts(slide)]
        first_title = slides[0].shapes.title if slides else None
        properties = presentation.core_properties
    except (BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        yield IngestError(str(path), 0, f"fichier PowerPoint illisible : {exc}")
        return
    yield file_document(
        path, paragraphs, title=properties.title or "", heading=first_title.text if first_title is not None else "",
        file_date=property_date(properties.modified, properties.created),
        lang=(properties.language or "").split("-")[0].lower(),
    )
