"""Ingest what the crawler stored (``crawl.json`` + ``files/``), and standalone HTML files.

A crawl folder is one source: its pages become Documents with their URL
and fetch date; each PDF a document page links to is read into that page's
Document (one search result, not two); a PDF no document page links to is
a Document of its own.

Which pages are documents: a resource page of the RTES site (one with a
"Type de ressource" field) always is; on any site, so is a page whose main
content is real text (``MIN_WORDS`` words outside links), unless it is the
home page or a listing of links. With ``resources_only`` (``crawl`` or
``index --resources-only``), only resource pages are. Pages left out are
left out silently, unless the crawl yields no document at all: then one
error says how many pages were read and why each kind was left out.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from indexer.crawl.state import CrawlState, Entry
from indexer.documents import Document, IngestError
from indexer.ingest.html import Page, parse_page
from indexer.ingest.pdf import pdf_document, with_attachments
from indexer.ingest.records import FieldMapping

# Words of text outside links a page needs to be a document on a site without resource fields (two sentences).
MIN_WORDS = 40
NOT_RESOURCE = "sans champ « Type de ressource » (--resources-only)"
HOME = "page d'accueil"
LISTING = "liste(s) de liens"
SHORT = f"avec moins de {MIN_WORDS} mots de texte"


def _page(state: CrawlState, entry: Entry) -> Page | IngestError | None:
    path = state.local_path(entry)
    if path is None:
        return None
    return parse_page(path.read_bytes(), entry.url, str(path), entry.charset, entry.fetched_at)


def left_out(page: Page, url: str, start_url: str, resources_only: bool) -> str | None:
    """Why a crawled page is not a document (one of the reasons above), or None when it is one."""
    if page.is_resource:
        return None
    if resources_only:
        return NOT_RESOURCE
    if url == start_url or urlsplit(url).path in ("", "/"):
        return HOME
    if page.listing:
        return LISTING
    if page.words < MIN_WORDS:
        return SHORT
    return None


def ingest_site(state_file: Path, mapping: FieldMapping | None = None) -> Iterator[Document | IngestError]:
    """Every document page of a crawl folder, with its attached PDFs' text, then the other PDFs."""
    try:
        state = CrawlState.load(state_file.parent)
    except (OSError, ValueError, TypeError) as exc:
        yield IngestError(str(state_file), 0, f"état de crawl illisible : {exc}")
        return
    resources_only = state.resources_only or bool(mapping and mapping.resources_only)
    pdfs = {url: entry for url, entry in state.entries.items() if entry.is_pdf and state.local_path(entry)}
    attached: set[str] = set()
    reasons: Counter[str] = Counter()
    found = 0
    for entry in state.entries.values():
        page = _page(state, entry) if entry.is_html else None
        if isinstance(page, IngestError):
            reasons["sans titre ou sans contenu"] += 1
            yield page
        elif page is not None:
            reason = left_out(page, entry.url, state.start_url, resources_only)
            reasons[reason or ""] += 1
            if reason is None:
                files = {url: state.local_path(pdfs[url]) for url in page.document.attachments if url in pdfs}
                attached.update(files)
                found += 1
                yield with_attachments(page.document, files)
    for url, entry in pdfs.items():
        if url not in attached:
            found += 1
            yield pdf_document(state.local_path(entry), url, str(state.local_path(entry)), entry.fetched_at)
    if not found:
        yield IngestError(str(state_file), 0, nothing_indexable(reasons))


def nothing_indexable(reasons: Counter[str]) -> str:
    """Say why a crawl gave no document: how many pages, how many of each kind left out.

    >>> nothing_indexable(Counter({HOME: 1, LISTING: 3, SHORT: 2}))
    "6 page(s) HTML, aucune n'est un document : 3 liste(s) de liens, 2 avec moins de 40 mots de texte, 1 page d'accueil"
    """
    pages = sum(reasons.values())
    if not pages:
        return "aucune page HTML ni aucun PDF dans ce crawl"
    kinds = ", ".join(f"{count} {reason}" for reason, count in reasons.most_common() if reason)
    return f"{pages} page(s) HTML, aucune n'est un document : {kinds}"


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
