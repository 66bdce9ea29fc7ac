"""The base of the absolute links the server writes (feed, OpenSearch), never taken from a request.

A client chooses the ``Host`` header it sends: a link built from it points
wherever that client says (``Host: evil.example`` would make every link of a
cached feed point there). So the base is, in order: the operator's public
address (``--public-url``, ``RTES_SEARCH_PUBLIC_URL``); else the address the
server listens on; else, when it listens on every address (``0.0.0.0``,
``::``) and so has no one name, ``/``: links stay relative to the document
that holds them (a feed says so with ``xml:base``).
"""

from __future__ import annotations

from search.http.settings import Settings

EVERY_ADDRESS = ("0.0.0.0", "::", "")


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
