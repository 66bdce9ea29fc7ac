"""PDF text extraction (pypdf) for the guides, alone or attached to their page.

A resource page and its "version imprimable" PDF are one search result: the
PDF's text is appended to the page's body under a heading naming the file,
and its URL is kept in ``attachments``. A PDF no page links to is a
Document of its own.

pypdf rather than pdfminer.six: pure Python, no dependency, and its text
order is right on the RTES guides' simple one-column layout.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Iterator, Mapping
from urllib.parse import unquote, urlsplit

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from indexer.documents import Document, IngestError, IngestWarning
from indexer.ingest.html import page_id

# pypdf logs recoverable oddities of real-world PDFs; they are not ours to show.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def read_pdf(path: Path) -> tuple[str, str]:
    """``(title, text)`` of a PDF; raises ValueError with a French reason when unreadable."""
    try:
        reader = PdfReader(path)
        text = "\n\n".join(filter(None, ((page.extract_text() or "").strip() for page in reader.pages)))
        title = str((reader.metadata or {}).get("/Title") or "").strip()
    except (OSError, PyPdfError, ValueError, KeyError) as exc:
        raise ValueError(f"PDF illisible : {exc}") from exc
    if not text:
        raise ValueError("PDF sans texte (scan sans OCR ?)")
    return title, text


def file_name(address: str) -> str:
    """The file name at the end of a URL or path: ``…/files/guide%20ess.pdf`` → ``guide ess.pdf``."""
    return unquote(urlsplit(address).path.rsplit("/", 1)[-1]) or address


def with_attachments(doc: Document, files: Mapping[str, Path]) -> Iterator[Document | IngestWarning]:
    """``doc`` with the text of each readable PDF of ``files`` (address → local file) appended,
    after a warning for each attachment that cannot be read (the page itself stays searchable)."""
    parts, kept = [doc.body], []
    for address, path in files.items():
        try:
            _, text = read_pdf(path)
        except ValueError as exc:
            yield IngestWarning(doc.source, 0, f"pièce jointe non indexée : {file_name(address)} ({exc})")
            continue
        parts.append(f"[Document joint : {file_name(address)}]\n\n{text}")
        kept.append(address)
    yield replace(doc, body="\n\n".join(p for p in parts if p), attachments=tuple(kept))


def pdf_document(path: Path, url: str = "", source: str = "", fetched_at: str = "") -> Document | IngestError:
    """A PDF no page links to, as a Document of its own (title: its metadata, else its file name)."""
    source = source or str(path)
    try:
        title, text = read_pdf(path)
    except ValueError as exc:
        return IngestError(source, 0, str(exc))
    name = file_name(url or str(path))
    return Document(
        id=page_id(url or str(path)), title=title or name.rsplit(".", 1)[0], body=text,
        source=source, url=url, fetched_at=fetched_at, attachments=(url or name,),
    )


def ingest_pdf(path: Path) -> Iterator[Document | IngestError]:
    """A standalone PDF file."""
    yield pdf_document(path)
