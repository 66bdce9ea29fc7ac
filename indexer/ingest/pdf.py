"""PDF text extraction (pypdf) for the guides, alone or attached to their page
(``indexer.ingest.attachments`` reads a page's PDFs through ``ingest_pdf``).

pypdf rather than pdfminer.six: pure Python, no dependency, and its text
order is right on the RTES guides' simple one-column layout.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterator

from pypdf import PdfReader

from indexer.documents import Document, IngestError
from indexer.ingest.names import file_title, page_id
from indexer.ingest.office import property_date

# pypdf logs recoverable oddities of real-world PDFs; they are not ours to show.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def read_pdf(path: Path) -> tuple[str, str, str]:
    """``(title, text, date)`` of a PDF (title and date from its properties, the date last modified,
    else created); raises ValueError with a French reason when unreadable."""
    try:
        reader = PdfReader(path)
        text = "\n\n".join(filter(None, ((page.extract_text() or "").strip() for page in reader.pages)))
        meta = reader.metadata
        title = str((meta or {}).get("/Title") or "").strip()
        date = property_date(meta.modification_date, meta.creation_date) if meta else ""
    except Exception as exc:  # noqa: BLE001 - a damaged PDF raises anything (zlib, NotImplementedError…)
        raise ValueError(f"PDF illisible : {exc}") from exc
    if not text:
        raise ValueError("PDF sans texte (scan sans OCR ?)")
    return title, text, date


def ingest_pdf(path: Path) -> Iterator[Document | IngestError]:
    """A standalone PDF file: one Document (title: its properties', else its file name; its
    properties' date used only when the text names none)."""
    try:
        title, text, date = read_pdf(path)
    except ValueError as exc:
        yield IngestError(str(path), 0, str(exc))
        return
    yield Document(id=page_id(str(path)), title=title or file_title(path), body=text, source=str(path),
                   attachments=(path.name,), file_date=date)
