"""PowerPoint files (``.pptx``) through python-pptx.

The text of every shape of every slide, slide by slide (a table row is one
paragraph, its cells separated by " ; "); the first slide's title is the
heading of last resort for the document's title.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pptx

from indexer.documents import Document, IngestError
from indexer.ingest.office import core_properties, read_office_file


def _texts(slide) -> Iterator[str]:
    for shape in slide.shapes:
        if shape.has_text_frame:
            yield from (paragraph.text for paragraph in shape.text_frame.paragraphs)
        if getattr(shape, "has_table", False) and shape.has_table:
            yield from (" ; ".join(cell.text for cell in row.cells if cell.text.strip()) for row in shape.table.rows)


def _read(path: Path) -> dict:
    presentation = pptx.Presentation(str(path))
    slides = list(presentation.slides)
    first_title = slides[0].shapes.title if slides else None
    return dict(
        core_properties(presentation.core_properties), paragraphs=[text for slide in slides for text in _texts(slide)],
        heading=first_title.text if first_title is not None else "",
    )


def ingest_pptx(path: Path) -> Iterator[Document | IngestError]:
    """One ``.pptx`` file: one Document."""
    return read_office_file(path, "PowerPoint", _read)
