"""Query parameters shared by the JSON API and the search page.

Declared once, with their limits, so both faces accept exactly the same URLs
(a page URL with ``/api/v1/search`` in front gives the page's JSON) and the
OpenAPI document states every limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Query, Request
from fastapi.security import HTTPBearer

from indexer.schema import FACET_FIELDS
from search.http.auth import bearer_allows, is_bearer
from search.http.errors import ApiError
from search.http.limits import MAX_FILTER_CHARS, MAX_LIMIT, MAX_PAGE_DEPTH, MAX_QUERY_CHARS
from search.http.shared import SharedSearcher

DEFAULT_LIMIT = 10
# Declares the optional bearer token in the OpenAPI document; private_access does the checking.
bearer_scheme = HTTPBearer(auto_error=False, scheme_name="jeton", description=(
    "Jeton d'accès aux ressources privées, facultatif ; sans jeton, seules les ressources publiques "
    "répondent ; un jeton invalide reçoit 401."))

FilterValues = Annotated[
    list[str] | None,
    Query(description="Valeurs du filtre (répétable ; valeurs d'une facette combinées par OU).",
          max_length=50, json_schema_extra={"items": {"type": "string", "maxLength": MAX_FILTER_CHARS}}),
]


@dataclass(frozen=True)
class QueryParams:
    """What is searched: the query and the filters (no order, no page)."""

    q: str
    filters: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class SearchParams:
    q: str
    filters: dict[str, tuple[str, ...]]
    sort: str
    page: int
    limit: int


def query_params(
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="Requête ; vide : tout, récent d'abord.")] = "",
    type: FilterValues = None,
    year: FilterValues = None,
    theme: FilterValues = None,
    territory: FilterValues = None,
) -> QueryParams:
    """Check and gather the query and its filters (shared by the search, the CSV and the feed)."""
    given = dict(zip(FACET_FIELDS, (type, year, theme, territory)))
    for name, values in given.items():
        if any(len(v) > MAX_FILTER_CHARS for v in values or ()):
            raise ApiError(400, f"paramètre « {name} » invalide : valeur trop longue "
                                f"(au plus {MAX_FILTER_CHARS} caractères)", name)
    filters = {name: tuple(v.strip() for v in values if v.strip()) for name, values in given.items() if values}
    return QueryParams(q, {k: v for k, v in filters.items() if v})


Sort = Annotated[Literal["relevance", "date"], Query(description="Ordre : pertinence, ou date (récent d'abord).")]


def search_params(
    query: Annotated[QueryParams, Depends(query_params)],
    sort: Sort = "relevance",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE_DEPTH)] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> SearchParams:
    """The query, its order and one page; ``page × limit`` may not exceed ``MAX_PAGE_DEPTH``."""
    if page * limit > MAX_PAGE_DEPTH:
        raise ApiError(400, f"paramètre « page » invalide : au plus {MAX_PAGE_DEPTH} résultats "
                            f"(page × limit), soit la page {MAX_PAGE_DEPTH // limit} au plus", "page")
    return SearchParams(query.q, query.filters, sort, page, limit)


def shared_searcher(request: Request) -> SharedSearcher:
    return request.app.state.searcher


INVALID_TOKEN = ("jeton d'accès invalide : utilisez un jeton valide, ou retirez l'en-tête Authorization "
                 "pour ne voir que les ressources publiques")


def private_access(request: Request) -> bool:
    """Whether this request carries a valid bearer token (private resources visible); a wrong one is a 401."""
    authorization = request.headers.get("authorization")
    if bearer_allows(authorization, request.app.state.settings.token_hashes):
        return True
    if is_bearer(authorization):
        raise ApiError(401, INVALID_TOKEN,
                       headers={"WWW-Authenticate": 'Bearer realm="rtes-search", error="invalid_token"'})
    return False
