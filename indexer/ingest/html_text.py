"""Text out of HTML elements: paragraphs, field labels and the page's date.

Kept apart from ``html.py`` (which knows the site's layout) because these
are plain HTML rules: a block element ends a paragraph, ``<br>`` ends a
line, a label is a short text like "Type de ressource :", a listing is
mostly links.
"""

from __future__ import annotations

import re
from typing import Iterator

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

from indexer.analysis.normalise import fold
from indexer.documents import calendar_date
from indexer.metadata.years import MONTHS

BLOCKS = frozenset({
    "address", "article", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
})
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
SKIPPED = (Comment, Declaration, Doctype, ProcessingInstruction)
MAX_LABEL_CHARS = 40
DATE_METAS = ("article:published_time", "dcterms.date", "dc.date", "date", "article:modified_time")
ISO_DATE = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)")
PUBLISHED = re.compile(
    r"(?:publie|mis a jour|date)\w*\s+le\s+(\d{1,2})(?:er)?\s+(" + "|".join(MONTHS) + r")\s+((?:19|20)\d\d)"
)


def _collect(node: Tag, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, SKIPPED):
            continue
        if isinstance(child, NavigableString):
            out.append(str(child))
        elif child.name == "br":
            out.append("\n")
        elif isinstance(child, Tag):
            block = child.name in BLOCKS
            out.append("\n\n" if block else "")
            _collect(child, out)
            out.append("\n\n" if block else "")


def element_paragraphs(element: Tag) -> str:
    """The text of ``element``, one paragraph per block, blank lines between them.

    >>> from bs4 import BeautifulSoup
    >>> element_paragraphs(BeautifulSoup("<div><p>Un <a href='#'>guide</a>.</p>Suite<br>fin</div>", "html.parser"))
    'Un guide.\\n\\nSuite\\nfin'
    """
    out: list[str] = []
    _collect(element, out)
    paragraphs = []
    for block in re.split(r"\n[ \t\r\f\v\xa0]*\n", "".join(out)):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def link_profile(element: Tag) -> tuple[int, int, int]:
    """``(words outside links, words inside links, headings that are links)`` of ``element``.

    What tells a listing of links (a pager's page, a site map, a list of
    teasers under linked titles) from a page of content.

    >>> from bs4 import BeautifulSoup
    >>> html = "<h2><a href='/a'>Un titre</a></h2><p>Un texte <a href='/b'>lié</a>.</p>"
    >>> link_profile(BeautifulSoup(html, "html.parser"))
    (3, 3, 1)
    """
    link_words = sum(len(a.get_text(" ").split()) for a in element.find_all("a", href=True))
    words = len(element.get_text(" ").split())
    linked_headings = sum(1 for h in element.find_all(HEADINGS) if h.find("a", href=True) is not None)
    return words - link_words, link_words, linked_headings


def label_of(text: str) -> str:
    """A text folded to compare with field labels: ``"Ressource privée :\\xa0"`` → ``"ressource privee"``.

    >>> label_of("Zone d’action :")
    "zone d'action"
    """
    if len(text) > MAX_LABEL_CHARS:
        return ""
    return " ".join(fold(text).split()).rstrip(": ").strip()


def _candidate_dates(soup: BeautifulSoup) -> Iterator[str]:
    for name in DATE_METAS:
        named = re.compile(f"^{re.escape(name)}$", re.I)
        meta = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": named})
        match = ISO_DATE.match(str(meta.get("content", ""))) if meta else None
        if match:
            yield "-".join(match.groups())
    time_tag = soup.find("time", attrs={"datetime": True})
    match = ISO_DATE.match(str(time_tag["datetime"])) if time_tag else None
    if match:
        yield "-".join(match.groups())
    match = PUBLISHED.search(fold(soup.get_text(" ")))
    if match:
        day, month, year = match.groups()
        yield f"{year}-{MONTHS[month]:02d}-{int(day):02d}"


def page_date(soup: BeautifulSoup) -> tuple[str, str]:
    """``(year, iso_date)`` from ``<meta>``, then ``<time datetime>``, then "Publié le 5 juin 2018";
    a day that does not exist ("31 juin") is passed over."""
    date = next((d for d in _candidate_dates(soup) if calendar_date(d)), "")
    return date[:4], date
