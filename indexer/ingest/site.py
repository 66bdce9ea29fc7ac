"""Ingest what the crawler stored (``crawl.json`` + ``files/``), and standalone HTML files.

A crawl folder is one source: its resource pages become Documents with
their URL and fetch date; each PDF a resource page links to is read into
that page's Document (one search result, not two); a PDF no resource page
links to is a Document of its own. Listing pages, the home page and other
navigation pages (no "Type de ressource" field) are not resources and are
left out silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from indexer.crawl.state import CrawlState, Entry
from indexer.documents import Document, IngestError
from indexer.ingest.html import Page, parse_page
from indexer.ingest.pdf import pdf_document, with_attachments


def _page(state: CrawlState, entry: Entry) -> Page | IngestError | None:
    path = state.local_path(entry)
    if path is None:
        return None
    return parse_page(path.read_bytes(), entry.url, str(path), entry.charset, entry.fetched_at)


def ingest_site(state_file: Path) -> Iterator[Document | IngestError]:
    """Every resource of a crawl folder, with its attached PDFs' text."""
    try:
        state = CrawlState.load(state_file.parent)
    except (OSError, ValueError, TypeError) as exc:
        yield IngestError(str(state_file), 0, f"état de crawl illisible : {exc}")
        return
    pdfs = {url: entry for url, entry in state.entries.items() if entry.is_pdf and state.local_path(entry)}
    attached: set[str] = set()
    for entry in state.entries.values():
        page = _page(state, entry) if entry.is_html else None
        if isinstance(page, IngestError):
            yield page
        elif page is not None and page.is_resource:
            files = {url: state.local_path(pdfs[url]) for url in page.document.attachments if url in pdfs}
            attached.update(files)
            yield with_attachments(page.document, files)
    for url, entry in pdfs.items():
        if url not in attached:
            yield pdf_document(state.local_path(entry), url, str(state.local_path(entry)), entry.fetched_at)


def ingest_html(path: Path) -> Iterator[Document | IngestError]:
    """A standalone HTML file: one Document, PDFs it links to (relative paths) attached."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield IngestError(str(path), 0, f"fichier illisible : {exc}")
        return
    page = parse_page(data, "", str(path))
    if isinstance(page, IngestError):
        yield page
        return
    files = {href: path.parent / href for href in page.document.attachments if (path.parent / href).is_file()}
    yield with_attachments(page.document, files)
