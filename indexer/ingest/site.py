"""Ingest what the crawler stored (``crawl.json`` + ``files/``), and standalone HTML files.

A crawl folder is one source: its pages become Documents with their URL
and fetch date; each file (PDF, office) a document page links to is read into that page's
Document (one search result, not two); a file no document page links to is
a Document of its own.

Which pages are documents: a resource page of the RTES site (one with a
"Type de ressource" field) always is; on any site, so is every page with a
title and some text, unless it is structurally not content: the home page,
a page of a pager (``?page=2``, ``/page/2``), a tag or category page
(``/tags/ess``, ``/taxonomy/term/12``) or a listing (its text is mostly
links to other pages, or linked titles of teasers). Never a word count: a
two-sentence news item is a document. With ``resources_only`` (``crawl`` or
``index --resources-only``), only resource pages are. Each page left out is
reported (``LeftOut``) with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from indexer.crawl.state import CrawlState, Entry
from indexer.documents import Document, IngestError, LeftOut
from indexer.ingest.html import Page, parse_page
from indexer.ingest.attachments import file_document, with_attachments
from indexer.ingest.records import FieldMapping

NOT_RESOURCE = "sans champ « Type de ressource » (--resources-only)"
HOME = "page d'accueil"
PAGER = "page de pagination"
TAGS = "page d'étiquette ou de catégorie"
LISTING = "page de liste"
# Path segments that name a tag or category page on Drupal, WordPress, SPIP and the like.
TAG_SEGMENTS = frozenset({
    "tag", "tags", "taxonomy", "etiquette", "etiquettes", "category", "categories", "categorie", "mot", "mots-cles",
})
PAGE_NUMBER = re.compile(r"(?:^|&)(?:page|p|paged|start)=\d+(?:&|$)")
PAGE_PATH = re.compile(r"/page/\d+/?$")


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
    parts = urlsplit(url)
    if url == start_url or parts.path in ("", "/"):
        return HOME
    if PAGE_NUMBER.search(parts.query) or PAGE_PATH.search(parts.path):
        return PAGER
    if any(segment.lower() in TAG_SEGMENTS for segment in parts.path.split("/")[:-1]):
        return TAGS
    if page.listing:
        return LISTING
    return None


def ingest_site(state_file: Path, mapping: FieldMapping | None = None) -> Iterator[Document | IngestError]:
    """Every document page of a crawl folder, with its attached files' text, then the other files."""
    try:
        state = CrawlState.load(state_file.parent)
    except (OSError, ValueError, TypeError) as exc:
        yield IngestError(str(state_file), 0, f"état de crawl illisible : {exc}")
        return
    resources_only = state.resources_only or bool(mapping and mapping.resources_only)
    linked = {url: entry for url, entry in state.entries.items() if entry.is_document_file and state.local_path(entry)}
    attached: set[str] = set()
    pages = found = 0
    for entry in state.entries.values():
        page = _page(state, entry) if entry.is_html else None
        pages += page is not None
        if isinstance(page, IngestError):
            yield page
        elif page is not None:
            reason = left_out(page, entry.url, state.start_url, resources_only)
            if reason is not None:
                yield LeftOut(entry.url, 0, reason)
                continue
            files = {url: state.local_path(linked[url]) for url in page.document.attachments if url in linked}
            attached.update(files)
            found += 1
            yield from with_attachments(page.document, files)
    for url, entry in linked.items():
        if url not in attached:
            found += 1
            yield file_document(state.local_path(entry), url, entry.fetched_at)
    if not pages and not found:
        yield IngestError(str(state_file), 0, "aucune page HTML ni aucun fichier dans ce crawl")


def ingest_html(path: Path) -> Iterator[Document | IngestError]:
    """A standalone HTML file: one Document, files it links to (relative paths) attached."""
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
    yield from with_attachments(page.document, files)
