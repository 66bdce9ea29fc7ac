"""Errors as JSON with a French message, the right status and the parameter at fault.

Every error body is ``{"error": {"status": 400, "message": "…", "param": "limit"}}``
(``param`` is null when no single parameter is at fault). Pages (paths
outside ``/api/``, ``/health`` and ``/feed``) get the same message as an HTML page.

What the server knows of itself stays in its log: an answer about a missing
index or an unreachable cluster (503), or a search the cluster refused, says
so in general words, because the backend's own message names the index
folder or the cluster's node addresses. A 500 is answered by Starlette outside every middleware, so it
carries the security headers itself.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from search import DocumentNotFoundError, IndexNotFoundError, InvalidFilterError, QuerySyntaxError, SearchError
from search.cluster import ClusterSearchError
from search.errors import DamagedIndexError
from search.http.headers import security_headers

log = logging.getLogger(__name__)
JSON_PATHS = ("/health", "/openapi.json", "/feed")   # machines read these: errors in JSON, as under /api/
# Errors said publicly in general words, by kind (the first that matches); the backend's message goes to the log.
WITHHELD = (
    (DamagedIndexError, 503, "index endommagé : la recherche est indisponible jusqu'à sa reconstruction"),
    (IndexNotFoundError, 503, "service de recherche indisponible (aucun index joignable pour le moment) : "
                              "réessayez dans un instant"),
    (ClusterSearchError, 400, "le cluster de recherche a refusé cette recherche : simplifiez-la ou réessayez"),
)
HTTP_MESSAGES = {404: "adresse inconnue", 405: "méthode non autorisée pour cette adresse"}


def _http_message(exc: StarletteHTTPException) -> str:
    """Starlette's error in French; a 405 names the methods the address takes (its ``Allow`` header, kept)."""
    message = HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
    allowed = (exc.headers or {}).get("Allow")
    return f"{message} (méthodes acceptées : {allowed})" if exc.status_code == 405 and allowed else message
REASONS = {
    "int_parsing": "nombre entier attendu",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "string_too_long": "trop long (au plus {max_length} caractères)",
    "too_long": "trop de valeurs (au plus {max_length})",
    "literal_error": "valeurs possibles : {expected}",
    "missing": "paramètre obligatoire",
    "bool_parsing": "true ou false attendu",
}


class ApiError(Exception):
    """An error the endpoints raise themselves (e.g. a page beyond the depth limit)."""

    def __init__(self, status: int, message: str, param: str | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.param = status, message, param
        self.headers = headers or {}


def error_body(status: int, message: str, param: str | None = None) -> dict:
    return {"error": {"status": status, "message": message, "param": param}}


def from_validation(exc: RequestValidationError) -> ApiError:
    """The first invalid parameter, named, with a French reason; an over-long q is a 414."""
    error = exc.errors()[0]
    param = str(error["loc"][-1]) if error.get("loc") else None
    reason = REASONS.get(error["type"], "valeur invalide").format(**error.get("ctx", {})).replace(" or ", " ou ")
    status = 414 if (param == "q" and error["type"] == "string_too_long") else 400
    return ApiError(status, f"paramètre « {param} » invalide : {reason}", param)


def from_search_error(exc: SearchError) -> ApiError:
    """The API's status for ``exc``; the parameter at fault (``q``, or the filter named by the error)."""
    for kind, status, public in WITHHELD:
        if isinstance(exc, kind):
            log.warning("%s (%s)", exc, status)
            return ApiError(status, public)
    param = "q" if isinstance(exc, QuerySyntaxError) else exc.param if isinstance(exc, InvalidFilterError) else None
    return ApiError(404 if isinstance(exc, DocumentNotFoundError) else 400, str(exc), param)


def install_error_handlers(app: FastAPI, render_page, frame_ancestors: tuple[str, ...] = ()):
    """Register handlers turning every known failure into ``ApiError``, rendered by path; return the renderer.

    A 500 is answered outside the middleware stack (Starlette's outermost
    error middleware), so it carries the security headers itself: those of
    the other answers, with the sites named by ``--frame-ancestor``.
    """
    crashed = {name.decode(): value.decode() for name, value in security_headers(frame_ancestors)}

    def respond(request: Request, error: ApiError):
        path = request.url.path
        if path.startswith("/api/") or path in JSON_PATHS:
            return JSONResponse(error_body(error.status, error.message, error.param), error.status, error.headers)
        return render_page(request, error)

    app.add_exception_handler(ApiError, respond)
    app.add_exception_handler(RequestValidationError, lambda r, e: respond(r, from_validation(e)))
    app.add_exception_handler(SearchError, lambda r, e: respond(r, from_search_error(e)))
    app.add_exception_handler(
        StarletteHTTPException,
        lambda r, e: respond(r, ApiError(e.status_code, _http_message(e), headers=e.headers)),
    )
    # Anything else is a bug: a French message, never a traceback (the server still logs it).
    app.add_exception_handler(
        Exception, lambda r, e: respond(r, ApiError(500, "erreur interne du serveur", headers=crashed)))
    return respond
