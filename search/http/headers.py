"""Response headers every answer carries.

``Vary: Authorization``: the same URL answers differently with a token
(private resources), so a shared cache must not serve one to the other.
``Content-Security-Policy: default-src 'self'``: the page loads nothing
from elsewhere (no CDN), and the browser enforces it. ``nosniff``: JSON and
CSS are taken for what they say they are.
"""

from __future__ import annotations

EXTRA_HEADERS = (
    (b"vary", b"Authorization"),
    (b"content-security-policy", b"default-src 'self'"),
    (b"x-content-type-options", b"nosniff"),
)


class HeadersMiddleware:
    """Add ``EXTRA_HEADERS`` to every HTTP response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *EXTRA_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)
