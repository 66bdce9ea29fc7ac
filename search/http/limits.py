"""Request limits, and the ASGI middleware that enforces those not tied to one parameter.

Parameter limits (``MAX_LIMIT``, ``MAX_PAGE_DEPTH``, ``MAX_QUERY_CHARS``) are
declared on the endpoints, so they appear in the OpenAPI document. Here:
an over-long URL (414), a request body (413: the API reads only the URL)
and the per-client rate (429 with ``Retry-After``), all answered before any
search work is done. Static files are not rate-limited.
"""

from __future__ import annotations

from starlette.responses import JSONResponse

from search.http.errors import error_body
from search.http.ratelimit import RateLimiter
from search.searcher import MAX_LIMIT

MAX_PAGE_DEPTH = 1000      # page × limit: deeper pages rank everything for a page nobody reads
MAX_QUERY_CHARS = 500      # a longer q → 414
MAX_FILTER_CHARS = 200     # one filter value
MAX_SUGGEST_CHARS = 100    # what a search box completes
MAX_URL_CHARS = 4096       # path + query string → 414
MAX_BODY_BYTES = 16384     # declared body size → 413

__all__ = ["GuardMiddleware", "MAX_FILTER_CHARS", "MAX_LIMIT", "MAX_PAGE_DEPTH", "MAX_QUERY_CHARS", "MAX_SUGGEST_CHARS"]


def _content_length(scope) -> int:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else MAX_BODY_BYTES + 1
    return 0


class GuardMiddleware:
    """Reject too-large or too-frequent requests with a JSON error, cheaply."""

    def __init__(self, app, limiter: RateLimiter | None):
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            refusal = self._refusal(scope)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _refusal(self, scope) -> JSONResponse | None:
        if len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") > MAX_URL_CHARS:
            return JSONResponse(error_body(414, f"adresse trop longue (au plus {MAX_URL_CHARS} caractères)"), 414)
        if _content_length(scope) > MAX_BODY_BYTES:
            return JSONResponse(error_body(413, f"requête trop volumineuse (au plus {MAX_BODY_BYTES} octets)"), 413)
        if self.limiter is None or scope["path"].startswith("/static/"):
            return None
        client = (scope.get("client") or ("inconnu", 0))[0]
        allowed, wait = self.limiter.check(client)
        if allowed:
            return None
        message = f"trop de requêtes : au plus {self.limiter.limit} par période, réessayez dans {wait} s"
        return JSONResponse(error_body(429, message), 429, headers={"Retry-After": str(wait)})
