"""Request limits, and the ASGI middleware that enforces those not tied to one parameter.

Parameter limits (``MAX_LIMIT``, ``MAX_PAGE_DEPTH``, ``MAX_QUERY_CHARS``) are
declared on the endpoints, so they appear in the OpenAPI document. Here:
an over-long URL (414), a request body (413: the API reads only the URL,
so a body announced by ``Content-Length`` over ``MAX_BODY_BYTES`` or sent
chunked, whose size nobody announces, is refused unread) and the
per-client rate (429 with ``Retry-After``), all answered before any search
work is done. Completions (``/api/v1/suggest``, one request per pause in
typing) have their own budget, ``SUGGEST_RATE_FACTOR`` times the pages'
one, so typing never locks a person out of the results. Static files are
not rate-limited. Refusals are rendered like every other error: JSON for
the API, a French page for pages.

Writes (``WRITE_PATHS``) have their own limits, checked by their endpoints
after the write token: bodies up to ``MAX_DOCUMENT_BYTES``,
``MAX_BATCH_BYTES`` or ``MAX_FILE_BYTES``, announced or chunked
(``read_body`` counts what arrives), and a rate per write token.
"""

from __future__ import annotations

from starlette.requests import Request

from search.http.errors import ApiError
from search.http.ratelimit import RateLimiter
from search.limits import MAX_LIMIT

MAX_PAGE_DEPTH = 1000      # page × limit: deeper pages rank everything for a page nobody reads
MAX_QUERY_CHARS = 500      # a longer q → 414
MAX_FILTER_CHARS = 200     # one filter value
MAX_SUGGEST_CHARS = 100    # what a search box completes
MAX_URL_CHARS = 4096       # path + query string → 414
MAX_BODY_BYTES = 16384     # declared body size → 413
SUGGEST_PATH = "/api/v1/suggest"
SUGGEST_RATE_FACTOR = 5    # completions may come this many times as often as other requests
MAX_DOCUMENT_BYTES = 10 * 2**20   # one pushed document (PUT)
MAX_BATCH_BYTES = 10 * 2**20      # an NDJSON batch
MAX_BATCH_LINES = 10_000
MAX_FILE_BYTES = 20 * 2**20       # an uploaded file, with its form
WRITE_PATHS = ("/api/v1/documents", "/api/v1/files")

__all__ = ["GuardMiddleware", "MAX_FILTER_CHARS", "MAX_LIMIT", "MAX_PAGE_DEPTH", "MAX_QUERY_CHARS", "MAX_SUGGEST_CHARS"]


def is_write(scope) -> bool:
    """A request of the write API (its limits are its own)."""
    return scope.get("method") in ("PUT", "POST", "DELETE") and scope["path"].startswith(WRITE_PATHS)


async def read_body(request: Request, most: int) -> bytes:
    """The request's body, or a 413 as soon as more than ``most`` bytes are announced or have arrived."""
    too_large = ApiError(413, f"requête trop volumineuse (au plus {most // 2**20} Mo)", "body")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > most:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > most:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _body_size(scope) -> int:
    """The announced body size; a chunked body (size unknown until read) counts as too large."""
    headers = dict(scope.get("headers", ()))
    if b"transfer-encoding" in headers:
        return MAX_BODY_BYTES + 1
    value = headers.get(b"content-length", b"0")
    return int(value) if value.isdigit() else MAX_BODY_BYTES + 1


class GuardMiddleware:
    """Reject too-large or too-frequent requests, cheaply, rendered by ``respond(request, ApiError)``."""

    def __init__(self, app, limiter: RateLimiter | None, respond):
        self.app = app
        self.limiter = limiter
        self.suggest_limiter = limiter and RateLimiter(limiter.limit * SUGGEST_RATE_FACTOR, limiter.window)
        self.respond = respond

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            refusal = self._refusal(scope)
            if refusal is not None:
                await self.respond(Request(scope), refusal)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _refusal(self, scope) -> ApiError | None:
        if len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") > MAX_URL_CHARS:
            return ApiError(414, f"adresse trop longue (au plus {MAX_URL_CHARS} caractères)")
        if is_write(scope):
            return None
        if _body_size(scope) > MAX_BODY_BYTES:
            return ApiError(413, f"requête trop volumineuse (au plus {MAX_BODY_BYTES} octets)")
        if self.limiter is None or scope["path"].startswith("/static/"):
            return None
        limiter = self.suggest_limiter if scope["path"] == SUGGEST_PATH else self.limiter
        client = (scope.get("client") or ("inconnu", 0))[0]
        allowed, wait = limiter.check(client)
        if allowed:
            return None
        message = f"trop de requêtes : au plus {limiter.limit} par période, réessayez dans {wait} s"
        return ApiError(429, message, headers={"Retry-After": str(wait)})
