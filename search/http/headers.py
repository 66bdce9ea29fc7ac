"""Response headers every answer carries.

``Vary: Authorization``: the same URL answers differently with a token
(private resources), so a shared cache must not serve one to the other.
``Content-Security-Policy: default-src 'self'``: the page loads nothing
from elsewhere (no CDN), and the browser enforces it; ``frame-ancestors
'self'``: no other site may show our pages in a frame (clickjacking), unless
the operator names it (``--frame-ancestor``). ``nosniff``: JSON and CSS are
taken for what they say they are.
"""

from __future__ import annotations


def security_headers(frame_ancestors: tuple[str, ...] = ()) -> tuple[tuple[bytes, bytes], ...]:
    """The headers of every answer, with the sites besides ours that may frame the pages.

    >>> dict(security_headers(("https://www.rtes.fr",)))[b"content-security-policy"]
    b"default-src 'self'; frame-ancestors 'self' https://www.rtes.fr"
    """
    ancestors = " ".join(("'self'", *frame_ancestors))
    return (
        (b"vary", b"Authorization"),
        (b"content-security-policy", f"default-src 'self'; frame-ancestors {ancestors}".encode("latin-1")),
        (b"x-content-type-options", b"nosniff"),
    )


EXTRA_HEADERS = security_headers()


class HeadersMiddleware:
    """Add ``security_headers(frame_ancestors)`` to every HTTP response."""

    def __init__(self, app, frame_ancestors: tuple[str, ...] = ()):
        self.app = app
        self.headers = security_headers(frame_ancestors)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)
