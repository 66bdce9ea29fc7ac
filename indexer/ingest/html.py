"""Read a resource page of the RTES Drupal site (or any HTML page) into a Document.

Main content only: the title comes from ``<h1>`` (else ``<title>`` without
the " | site" suffix); the body is the text of ``<main>``/``<article>``
without navigation, menus, footers, scripts and forms. The site's labelled
fields ("Type de ressource", "Ressource privée", "Résumé", "Thématiques",
"Zone d'action", "Mots clés") are read wherever the theme puts them: a
label element followed by its value element, as Drupal 7 and 8 and ``<dl>``
lists all do. Links to files (PDF guides) are kept as attachments. The
encoding is the HTTP header's, else the page's ``<meta charset>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from indexer.documents import Document, IngestError
from indexer.ingest.html_text import BLOCKS, element_paragraphs, label_of, link_profile, page_date
from indexer.ingest.names import page_id
from indexer.ingest.rtes_export import PRIVATE_VALUES

LABELS = {
    "type de ressource": "collection",
    "ressource privee": "private",
    "resume": "summary",
    "thematiques": "themes",
    "thematique": "themes",
    "categories": "themes",
    "categorie": "themes",
    "zone d'action": "territories",
    "mots cles": "keywords",
}
MULTI = frozenset({"themes", "territories", "keywords"})
NOISE = "nav, header, footer, aside, script, style, noscript, form, iframe, template, .menu, .breadcrumb, .tabs"
MAIN = ("main", "[role=main]", "article", "#content", ".region-content", "body")
# A page whose main content has this many titles that are links lists other pages (teasers).
LISTING_HEADINGS = 3
FILE_LINK = re.compile(r"\.(pdf|docx?|odt|ods|odp|pptx?)(\?.*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Page:
    """A parsed page: its Document (without attachment text), whether it is a resource, and its text.

    ``listing`` is true when the main content is mostly links (a pager's
    page, a site map) or a list of linked titles (teasers): what a crawl of
    any site needs to tell a page of content from a page that only leads to others.
    """

    document: Document
    is_resource: bool
    listing: bool = False


def parse_page(
    data: bytes, url: str, source: str, encoding: str | None = None, fetched_at: str = ""
) -> Page | IngestError:
    """Parse one HTML page; an IngestError when it has no title or no text at all."""
    soup = BeautifulSoup(data, "html.parser", from_encoding=encoding)
    main = next((m for m in (soup.select_one(s) for s in MAIN) if m is not None), soup)
    # Title and date first: an <article> often has them in its own <header>.
    title, (year, date) = _title(soup, main), page_date(soup)
    for noise in main.select(NOISE):
        noise.decompose()
    fields = _labelled_fields(main)
    body = element_paragraphs(main)
    words, link_words, linked_headings = link_profile(main)
    if not title:
        return IngestError(source, 0, "page sans titre (ni <h1> ni <title>)")
    if not body and not fields.get("summary"):
        return IngestError(source, 0, f"page sans contenu : « {title} »")
    keywords = fields.pop("keywords", ())
    if keywords:
        body += "\n\nMots clés : " + ", ".join(keywords)
    private = fields.pop("private", "Non")
    doc = Document(
        id=page_id(url or source), title=title, body=body, source=source, url=url,
        private=PRIVATE_VALUES.get(private, False), year=year, date=date, lang=_language(soup),
        fetched_at=fetched_at, attachments=tuple(_file_links(main, url)), **fields,
    )
    listing = link_words >= words or linked_headings >= LISTING_HEADINGS
    return Page(doc, "collection" in fields, listing)


def _title(soup: BeautifulSoup, main: Tag) -> str:
    heading = main.find("h1") or soup.find("h1")
    text = _take_heading(heading) if heading is not None else ""
    if text:
        return text
    raw = soup.title.get_text() if soup.title else ""
    return " ".join(raw.split("|")[0].split())


def _take_heading(heading: Tag) -> str:
    """Remove the heading's own text from the page and return it.

    An unclosed ``<h1>`` swallows the blocks after it (browsers do the
    same): its title is the text before its first block; the blocks stay in
    the body.
    """
    inline = []
    for child in heading.children:
        if isinstance(child, Tag) and child.name in BLOCKS:
            break
        inline.append(child)
    text = " ".join("".join(c.get_text(" ") if isinstance(c, Tag) else str(c) for c in inline).split())
    for child in inline:
        child.extract()
    heading.unwrap()
    return text


def _labelled_fields(main: Tag) -> dict:
    """Find each known label, read the value element after it, and remove both from the body."""
    fields: dict = {}
    labels = [(LABELS[key], text.parent) for text in main.find_all(string=True) if (key := label_of(text)) in LABELS]
    for name, element in labels:
        value = None if element is None or element.decomposed else element.find_next_sibling()
        if value is None or name in fields:
            continue
        fields[name] = _field_value(name, value)
        container = element.parent if element.parent is value.parent else None
        value.decompose()
        element.decompose()
        if container is not None and container is not main and not container.get_text(strip=True):
            container.decompose()
    return fields


def _field_value(name: str, value: Tag):
    """A label's value: paragraphs for the summary, a tuple for lists, else one line."""
    if name == "summary":
        return element_paragraphs(value)
    if name in MULTI:
        items = [i.get_text(" ", strip=True) for i in value.select(".field__item, .field-item, li, a")]
        items = items or [value.get_text(" ", strip=True)]
        return tuple(dict.fromkeys(v for item in items for v in map(str.strip, item.split(",")) if v))
    return " ".join(value.get_text(" ").split())


def _language(soup: BeautifulSoup) -> str:
    html = soup.find("html")
    lang = html.get("lang", "") if isinstance(html, Tag) else ""
    if not lang:
        meta = soup.find("meta", attrs={"http-equiv": re.compile("content-language", re.I)})
        lang = meta.get("content", "") if meta else ""
    return str(lang).split("-")[0].lower()


def _file_links(main: Tag, url: str) -> Iterator[str]:
    """Absolute URLs (or relative paths, for a page on disk) of the files the page links to."""
    seen = set()
    for anchor in main.find_all("a", href=True):
        href = anchor["href"].strip()
        if FILE_LINK.search(urlsplit(href).path or "") and href not in seen:
            seen.add(href)
            yield urljoin(url, href) if url else href
