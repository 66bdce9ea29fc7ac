"""Which links of a fetched page the crawler follows.

It stays on the start site (same scheme and host), skips ``rel="nofollow"``
links and every link of a page whose ``<meta name="robots">`` says
``nofollow``, drops fragments, and follows only pages and documents
(pagination ``?page=2`` included), not images, styles or scripts.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

SKIPPED_EXTENSIONS = re.compile(
    r"\.(css|js|json|xml|rss|png|jpe?g|gif|svg|webp|ico|mp3|mp4|avi|zip|gz|woff2?|ttf)$", re.IGNORECASE
)


def same_site(url: str, start: str) -> bool:
    """True when ``url`` is on the start URL's scheme and host.

    >>> same_site("http://rtes.fr/a", "http://rtes.fr/"), same_site("https://autre.org/", "http://rtes.fr/")
    (True, False)
    """
    a, b = urlsplit(url), urlsplit(start)
    return (a.scheme, a.netloc.lower()) == (b.scheme, b.netloc.lower())


def normalise(url: str) -> str:
    """Without fragment, with a path (``http://h`` → ``http://h/``)."""
    url = urldefrag(url)[0]
    parts = urlsplit(url)
    return url if parts.path else parts._replace(path="/").geturl()


def links_to_follow(html: bytes, page_url: str, start: str, encoding: str | None = None) -> list[str]:
    """The same-site page and document links of ``html`` the crawler may follow, in page order."""
    soup = BeautifulSoup(html, "html.parser", from_encoding=encoding)
    robots = soup.find("meta", attrs={"name": re.compile("^robots$", re.I)})
    if robots and "nofollow" in str(robots.get("content", "")).lower():
        return []
    base = soup.find("base", href=True)
    base_url = urljoin(page_url, base["href"]) if base else page_url
    found: dict[str, None] = {}
    for anchor in soup.find_all("a", href=True):
        rel = anchor.get("rel") or []
        if "nofollow" in [r.lower() for r in rel]:
            continue
        href = anchor["href"].strip()
        if not href or href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        url = normalise(urljoin(base_url, href))
        if same_site(url, start) and not SKIPPED_EXTENSIONS.search(urlsplit(url).path):
            found[url] = None
    return list(found)
