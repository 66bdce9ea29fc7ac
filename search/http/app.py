"""The ASGI application: JSON API, search page, static files, limits and CORS.

``create_app`` is the only entry point (``rtes-search serve`` and the tests
call it); the app keeps one ``SharedSearcher`` for its whole life.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

from search.http import api, assets, feed, opensearch, pages, writes
from search.http.cors import CorsHeaders, CorsPolicy, Preflight
from search.http.errors import install_error_handlers
from search.http.headers import HeadersMiddleware
from search.http.limits import GuardMiddleware
from search.http.ratelimit import RateLimiter
from search.http.settings import Settings
from search.http.shared import SharedSearcher

DESCRIPTION = (
    "Recherche plein texte dans la bibliothèque de ressources du RTES. Les erreurs sont des objets "
    "`{\"error\": {\"status\", \"message\", \"param\"}}` ; un jeton `Authorization: Bearer …` valide "
    "donne accès aux ressources privées."
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (default: from ``RTES_SEARCH_*`` environment variables)."""
    settings = settings or Settings.from_env()
    shared = SharedSearcher(settings.index_dir, time_budget=settings.time_budget)
    pushes = writes.Writes.open(settings)

    @asynccontextmanager
    async def lifespan(app):
        if pushes is not None:
            pushes.start()
        yield
        if pushes is not None:
            pushes.close()
        shared.close()

    app = FastAPI(title="rtes-search", version="1.0.0", description=DESCRIPTION,
                  docs_url=None, redoc_url=None, lifespan=lifespan,
                  redirect_slashes=False)  # a redirect would be built from the Host header the client sent
    app.state.settings, app.state.searcher, app.state.writes = settings, shared, pushes
    app.include_router(api.router)
    app.include_router(writes.router)
    app.include_router(api.health_router)
    app.include_router(feed.router)
    app.include_router(pages.router)
    app.include_router(opensearch.router)
    app.include_router(assets.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    respond = install_error_handlers(app, pages.error_page, settings.frame_ancestors)
    limiter = RateLimiter(settings.rate_limit, settings.rate_window) if settings.rate_limit else None
    cors = CorsPolicy(settings.cors_origins)
    # Innermost first: preflights are counted by the rate limit and get the security headers.
    app.add_middleware(Preflight, policy=cors, respond=respond)
    app.add_middleware(GuardMiddleware, limiter=limiter, respond=respond)
    app.add_middleware(HeadersMiddleware, frame_ancestors=settings.frame_ancestors)
    # The page carries the map's shapes (about 70 KB of path data): gzip makes it about a third.
    # No secret is ever in a page (tokens travel in a header browsers do not send across sites), so no BREACH.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)  # level 9: 27 ms a page, 3% smaller
    _declare_optional_token(app)
    # Every answer to an allowed origin gets the CORS headers, a 429 or a 500 included: outside
    # Starlette's whole stack, since its 500 handler sits outside every added middleware.
    stack = app.build_middleware_stack
    app.build_middleware_stack = lambda: CorsHeaders(stack(), cors)
    return app


def _declare_optional_token(app: FastAPI) -> None:
    """The OpenAPI document says the bearer token is optional (``security: [{}, {"jeton": []}]``)."""
    generate = app.openapi

    def openapi() -> dict:
        spec = generate()
        for operation in (op for path in spec["paths"].values() for op in path.values()):
            if operation.get("security") == [{"jeton": []}]:
                operation["security"] = [{}, {"jeton": []}]
        return spec

    app.openapi = openapi
