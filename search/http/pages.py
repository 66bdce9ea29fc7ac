"""The French search page and the resource page, rendered on the server.

They work without JavaScript: one GET form holds the search box, the facet
checkboxes and the sort, so every state is a shareable URL. ``static/app.js``
only adds conveniences (applying a ticked filter at once).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.templating import Jinja2Templates

from search.csv_export import FRENCH_COLUMNS
from search.http.api import DocId, csv_answer
from search.http.errors import ApiError
from search.http.limits import MAX_PAGE_DEPTH
from search.http.params import (
    QueryParams, SearchParams, Sort, private_access, query_params, search_params, shared_searcher,
)
from search.http.view import (
    back_url, chips, csv_url, document_url, facet_groups, feed_url, page_url, pagination, snippets_html,
    territory_map,
)
from search.http.links import safe_link
from search.http.wording import french_date, notices, paragraphs, without_summary
from search.limits import past_the_last_page

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.filters["snippets_html"] = snippets_html
router = APIRouter(include_in_schema=False)
SIMILAR_SHOWN = 5


@router.get("/")
def search_page(request: Request, params: Annotated[SearchParams, Depends(search_params)]):
    include_private = private_access(request)
    with shared_searcher(request).use() as searcher:
        # Disjunctive counts: ticking "2018" leaves "2019" on offer with the number it would add.
        results = searcher.search(params.q, filters=params.filters, limit=params.limit, page=params.page,
                                  sort=params.sort, include_private=include_private, disjunctive=True)
        counts = results.facets
    # The page's state is what the search applied: type=conference is ticked as "Conférence en ligne".
    params = replace(params, filters={name: values for name, values in results.selected.items() if values})
    past_the_end = params.page > results.pages and results.total
    context = {
        "params": params, "results": results, "first_rank": (params.page - 1) * params.limit + 1,
        "sort": results.sort,   # an empty query is listed by date, whatever the URL says
        "facets": facet_groups(counts, params), "chips": chips(params),
        "map": territory_map(counts, params, results),
        "pagination": pagination(results, params, MAX_PAGE_DEPTH // params.limit),
        "clear_url": page_url(params, filters={}, page=1), "feed_url": feed_url(params),
        "csv_url": csv_url(params),
        "last_page_url": page_url(params, page=results.pages) if past_the_end else None,
        # The page says "past the last page" with a link to it: the searcher's warning would repeat it.
        "notices": notices(results.warnings, past_the_last_page(params.page, results.total, params.limit)),
        "document_url": lambda doc_id: document_url(doc_id, params),
        "suggestion_url": page_url(params, q=results.suggestion, page=1) if results.suggestion else None,
    }
    return templates.TemplateResponse(request, "search.html", context)


@router.get("/documents/{doc_id}")
def document_page(request: Request, doc_id: DocId, params: Annotated[SearchParams, Depends(search_params)]):
    """A resource; ``params`` are those of the results page it was opened from, to go back to."""
    include_private = private_access(request)
    with shared_searcher(request).use() as searcher:
        doc = searcher.document(doc_id, include_private=include_private)
        similar = searcher.similar(doc_id, limit=SIMILAR_SHOWN, include_private=include_private)
    context = {
        "doc": doc, "date": french_date(doc.date or doc.year), "link": safe_link(doc.url),
        "summary": paragraphs(doc.summary), "paragraphs": without_summary(doc.body, doc.summary),
        "similar": [(hit, document_url(hit.id, params)) for hit in similar.hits], "back_url": back_url(params),
    }
    return templates.TemplateResponse(request, "document.html", context)


@router.get("/resultats.csv")
def results_csv(request: Request, query: Annotated[QueryParams, Depends(query_params)], sort: Sort = "relevance"):
    """The page's "Télécharger en CSV": every hit for a French spreadsheet (``;``, French column names)."""
    return csv_answer(request, query, sort, ";", FRENCH_COLUMNS)


def error_page(request: Request, error: ApiError):
    """An error as a French page with the same status as the API would give."""
    return templates.TemplateResponse(request, "error.html", {"error": error}, status_code=error.status,
                                      headers=error.headers)
