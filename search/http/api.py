"""The versioned JSON API (``/api/v1``) and ``/health``.

Each endpoint checks its parameters (``params.py``), calls one ``Searcher``
method under the shared searcher's lock, and returns the API's own
``to_dict()``: the JSON is the CLI's ``--json``, byte for byte in content.
"""

from __future__ import annotations

import time
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import JSONResponse, Response

from search.csv_export import COLUMNS, MAX_CSV_ROWS, csv_text
from search.results import public_document

from search.http.limits import MAX_LIMIT, MAX_PAGE_DEPTH, MAX_SUGGEST_CHARS
from search.http.params import (
    QueryParams, SearchParams, Sort, bearer_scheme, private_access, query_params, search_params, shared_searcher,
)
from search.http.schemas import DocumentModel, Facets, HealthModel, SearchResponse, SuggestResponse, errors

ERRORS = errors(400, 401, 413, 414, 429, 503)
router = APIRouter(prefix="/api/v1", tags=["API"], responses=ERRORS, dependencies=[Depends(bearer_scheme)])
health_router = APIRouter(tags=["API"], dependencies=[Depends(bearer_scheme)])
DocId = Annotated[str, Path(max_length=500, description="Identifiant de la ressource.")]


@router.get("/search", response_model=SearchResponse, summary="Chercher des ressources")
def search(
    request: Request,
    params: Annotated[SearchParams, Depends(search_params)],
    strict: Annotated[bool, Query(description="Requête mal formée : 400 au lieu d'un avertissement.")] = False,
):
    """Hits with highlighted snippets, facet counts over all matches, pagination."""
    with shared_searcher(request).use() as searcher:
        results = searcher.search(
            params.q, filters=params.filters, limit=params.limit, page=params.page,
            sort=params.sort, include_private=private_access(request), strict=strict,
        )
    return JSONResponse(results.to_dict())


@router.get("/search.csv", response_class=Response, summary="Résultats en CSV pour un tableur",
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                             "description": "Une ligne par résultat, en-tête compris (UTF-8 avec BOM)."}})
def search_csv(
    request: Request,
    query: Annotated[QueryParams, Depends(query_params)],
    sort: Sort = "relevance",
    sep: Annotated[Literal[",", ";"], Query(description="Séparateur (; pour Excel en français).")] = ",",
):
    """Every hit, page after page, up to ``MAX_CSV_ROWS`` (1000): one row each, with a header."""
    return csv_answer(request, query, sort, sep)


def csv_answer(request: Request, query: QueryParams, sort: str, sep: str, header: tuple[str, ...] = COLUMNS):
    """The CSV download of ``query``'s hits (the API's, and the search page's with French headers)."""
    with shared_searcher(request).use() as searcher:
        hits = searcher.hits(query.q, query.filters, MAX_CSV_ROWS, sort, private_access(request))
        text = csv_text(hits, sep, header)
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="rtes-recherche.csv"'})


@router.get("/documents/{doc_id}", response_model=DocumentModel, responses=errors(404),
            summary="Une ressource et ses métadonnées")
def document(request: Request, doc_id: DocId):
    """404 for an unknown id, and for a private one without a valid token; no source line nor server folder."""
    with shared_searcher(request).use() as searcher:
        doc = searcher.document(doc_id, include_private=private_access(request))
    return JSONResponse(public_document(doc))


@router.get("/documents/{doc_id}/similar", response_model=SearchResponse, responses=errors(404),
            summary="Ressources proches d'une ressource")
def similar(
    request: Request, doc_id: DocId, limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE_DEPTH)] = 1,
):
    """Other resources sharing the key terms of ``doc_id``, a page at a time; 404 as for the resource itself."""
    with shared_searcher(request).use() as searcher:
        results = searcher.similar(doc_id, limit=limit, page=page, include_private=private_access(request))
    return JSONResponse(results.to_dict())


OPENSEARCH_SUGGESTIONS = {"application/x-suggestions+json": {"schema": {
    # ["the query", ["a completion", …]] (tuple schemas are read differently by OpenAPI 3.0 and 3.1 tools)
    "type": "array", "minItems": 2, "maxItems": 2,
    "items": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}}}}


@router.get("/suggest", response_model=SuggestResponse, summary="Compléter ce que l'on tape",
            responses={200: {"content": OPENSEARCH_SUGGESTIONS,
                             "description": "Les complétions ; avec format=opensearch, [\"q\", [\"…\", …]]."}})
def suggest(
    request: Request,
    q: Annotated[str, Query(max_length=MAX_SUGGEST_CHARS, description="Début de mot ou de titre.")] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
    format: Annotated[Literal["json", "opensearch"], Query(
        description="opensearch : le format des suggestions OpenSearch, [\"q\", [\"…\", …]].")] = "json",
):
    """Completions of titles and terms for a search box, best first."""
    with shared_searcher(request).use() as searcher:
        suggestions = searcher.suggest(q, limit=limit, include_private=private_access(request))
    if format == "opensearch":
        return JSONResponse([q, list(suggestions)], media_type="application/x-suggestions+json")
    return JSONResponse({"query": q, "suggestions": list(suggestions)})


@router.get("/facets", response_model=Facets, summary="Valeurs de facettes et nombres de ressources")
def facets(request: Request):
    with shared_searcher(request).use() as searcher:
        return JSONResponse(searcher.facets(include_private=private_access(request)))


@health_router.get("/health", response_model=HealthModel, responses=errors(401, 429, 503), summary="État du service")
def health(request: Request):
    """Whether an index is loaded, how many resources it holds and how old it is (503 without index)."""
    with shared_searcher(request).use() as searcher:
        stats = searcher.stats(include_private=private_access(request))
    built = stats["built_at"]
    return JSONResponse({
        "status": "ok", "documents": stats["documents"], "generation": stats["generation"], "built_at": built,
        "index_age_seconds": round(time.time() - built, 1) if built else None,
    })
