"""The links the server writes: their base (feed, OpenSearch), never taken from a request, and
which addresses of a resource may be links at all.

A client chooses the ``Host`` header it sends: a link built from it points
wherever that client says (``Host: evil.example`` would make every link of a
cached feed point there). So the base is, in order: the operator's public
address (``--public-url``, ``RTES_SEARCH_PUBLIC_URL``); else the address the
server listens on; else, when it listens on every address (``0.0.0.0``,
``::``) and so has no one name, ``/``: links stay relative to the document
that holds them (a feed says so with ``xml:base``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from search.http.settings import Settings

EVERY_ADDRESS = ("0.0.0.0", "::", "")
# A resource's address comes from its source (a file, a JSONL record, a crawled page): only these
# are followed from our pages and feeds; a ``javascript:`` or ``data:`` address would run or show
# whatever it holds.
LINK_SCHEMES = ("http", "https", "mailto")


def public_base(settings: Settings) -> str:
    """``https://recherche.rtes.fr/``, ``http://127.0.0.1:8000/``, or ``/`` (relative links).

    >>> public_base(Settings(host="127.0.0.1", port=8000))
    'http://127.0.0.1:8000/'
    >>> public_base(Settings(host="::1", port=80)), public_base(Settings(host="0.0.0.0"))
    ('http://[::1]/', '/')
    >>> public_base(Settings(public_url="https://recherche.rtes.fr/", host="0.0.0.0"))
    'https://recherche.rtes.fr/'
    """
    if settings.public_url:
        return settings.public_url
    if settings.host in EVERY_ADDRESS:
        return "/"
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return f"http://{host}/" if settings.port == 80 else f"http://{host}:{settings.port}/"


def safe_link(url: str) -> str | None:
    """``url`` when a browser may follow it from our pages and feeds (http, https, mailto), else None.

    >>> safe_link("https://www.rtes.fr/x"), safe_link("javascript:alert(1)"), safe_link(" JavaScript:x")
    ('https://www.rtes.fr/x', None, None)
    """
    url = (url or "").strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in LINK_SCHEMES and (scheme == "mailto" or "//" in url) else None
