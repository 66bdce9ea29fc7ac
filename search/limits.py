"""What one search may ask for, the same on every backend: page sizes, sorts, and their checks.

Both backends and the faces read these (the CLI and the HTTP API refuse a
``limit`` above ``MAX_LIMIT`` before a backend is even opened), so they live
here, owned by neither backend.
"""

from __future__ import annotations

from search.errors import SearchError

MAX_LIMIT = 100
MAX_HITS = 1000   # the most ``hits`` gives at once: an export, not a page
SORTS = ("relevance", "date")


def check_page(limit: int, page: int, most: int = MAX_LIMIT) -> None:
    """A page of ``limit`` hits (at most ``most``) numbered from 1, or the ``SearchError`` that says why not."""
    if not 1 <= limit <= most:
        raise SearchError(f"limit doit être entre 1 et {most} (reçu {limit})")
    if page < 1:
        raise SearchError(f"page doit être supérieure ou égale à 1 (reçu {page})")


def check_sort(sort: str) -> None:
    if sort not in SORTS:
        raise SearchError(f"tri inconnu : {sort!r} (tris possibles : {', '.join(SORTS)})")


def past_the_last_page(page: int, total: int, limit: int) -> list[str]:
    """The warning for a page beyond the last one; none when nothing matched at all."""
    last = -(-total // limit)
    return [f"la page {page} est au-delà de la dernière page ({last})"] if page > 1 and total and page > last else []
