"""Cross-origin access: which sites' pages may read our answers, in two ASGI layers.

A browser lets a page of another site read an answer only when the answer
names that site (``Access-Control-Allow-Origin``); before a request it
cannot send plainly it asks first with an ``OPTIONS`` preflight. Starlette's
``CORSMiddleware`` answers preflights itself, outside every other layer, and
adds its headers only to what the app answered; here:

- ``Preflight`` sits *inside* the rate limit and the security headers, so a
  preflight is counted and answered with those headers like any request;
- ``CorsHeaders`` wraps the whole application (``app.py``), so every answer
  to an allowed origin carries the CORS headers, a 429 or a 500 included:
  the embedded component can then read it and say "trop de requêtes"
  rather than see an opaque network failure.

The component's script (``/embed.js``) and the static files it imports are
public and served to every origin (``*``): browsers fetch module scripts in
CORS mode. The API is open only to the origins the operator names
(``--cors-origin``), ``*`` for all. Only ``GET`` is offered, and the only
request header allowed is ``Authorization`` (a site with a token of its own).
"""

from __future__ import annotations

from starlette.requests import Request

from search.http.errors import ApiError

PUBLIC_PATHS = ("/embed.js", "/static/")
ALLOWED_HEADERS = b"Authorization"
PREFLIGHT_MAX_AGE = b"600"


def is_preflight(scope) -> bool:
    headers = dict(scope.get("headers", ()))
    return scope["method"] == "OPTIONS" and b"origin" in headers and b"access-control-request-method" in headers


class CorsPolicy:
    """Which origin an answer may be read by.

    >>> policy = CorsPolicy(("https://www.rtes.fr",))
    >>> policy.allowed("https://www.rtes.fr", "/api/v1/search"), policy.allowed("https://x.example", "/embed.js")
    ('https://www.rtes.fr', '*')
    >>> print(policy.allowed("https://x.example", "/api/v1/search"))
    None
    """

    def __init__(self, origins: tuple[str, ...]):
        self.origins = frozenset(origin.rstrip("/") for origin in origins)

    def allowed(self, origin: str | None, path: str) -> str | None:
        """The ``Access-Control-Allow-Origin`` value for ``origin`` asking for ``path``, or None."""
        if path.startswith(PUBLIC_PATHS) or "*" in self.origins:
            return "*"
        return origin if origin in self.origins else None


def _origin(scope) -> str | None:
    value = dict(scope.get("headers", ())).get(b"origin")
    return value.decode("latin-1") if value else None


class CorsHeaders:
    """Outer layer: the CORS headers on every answer an allowed origin may read."""

    def __init__(self, app, policy: CorsPolicy):
        self.app, self.policy = app, policy

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        allowed = self.policy.allowed(_origin(scope), scope["path"])
        extra = [(b"vary", b"Origin")]
        if allowed:
            extra += [(b"access-control-allow-origin", allowed.encode("latin-1")),
                      (b"access-control-expose-headers", b"Retry-After")]
            if is_preflight(scope):
                extra += [(b"access-control-allow-methods", b"GET"),
                          (b"access-control-allow-headers", ALLOWED_HEADERS),
                          (b"access-control-max-age", PREFLIGHT_MAX_AGE)]

        async def send_with_cors(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self.app(scope, receive, send_with_cors)


class Preflight:
    """Inner layer: answer a preflight (after the rate limit): 204 when allowed, else a French 400."""

    def __init__(self, app, policy: CorsPolicy, respond):
        self.app, self.policy, self.respond = app, policy, respond

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not is_preflight(scope):
            await self.app(scope, receive, send)
            return
        method = dict(scope["headers"]).get(b"access-control-request-method", b"").decode("latin-1")
        if not self.policy.allowed(_origin(scope), scope["path"]):
            error = ApiError(400, f"origine non autorisée : {_origin(scope)} (voir serve --cors-origin)")
        elif method != "GET":
            error = ApiError(400, f"méthode non autorisée depuis un autre site : {method} (GET seulement)")
        else:
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await self.respond(Request(scope), error)(scope, receive, send)
