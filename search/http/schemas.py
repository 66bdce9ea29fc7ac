"""The JSON contract as OpenAPI models.

They document ``Results.to_dict()``, ``Document.to_dict()`` and the error
body; endpoints return those dicts as they are (no second serialisation),
and the schemathesis test checks every response against these models.
"""

from __future__ import annotations

from pydantic import BaseModel

Facets = dict[str, dict[str, int]]


class SnippetModel(BaseModel):
    field: str
    text: str
    highlights: list[list[int]]


class HitModel(BaseModel):
    id: str
    title: str
    score: float
    snippet: str
    snippets: list[SnippetModel]
    type: str
    year: str
    date: str
    themes: list[str]
    territories: list[str]
    private: bool
    url: str
    indexed_at: str


class SearchResponse(BaseModel):
    """The same object as ``rtes-search search --json``."""

    query: str
    total: int
    page: int
    pages: int
    limit: int
    sort: str
    filters: dict[str, list[str]]
    hits: list[HitModel]
    facets: Facets
    suggestion: str | None
    warnings: list[str]


class DocumentModel(BaseModel):
    """``rtes-search show --json`` without ``line``, ``source`` as a file name (``search.results.public_document``)."""

    id: str
    title: str
    body: str
    summary: str
    collection: str
    private: bool
    source: str
    url: str
    type: str
    year: str
    date: str
    themes: list[str]
    territories: list[str]


class SuggestResponse(BaseModel):
    query: str
    suggestions: list[str]


class HealthModel(BaseModel):
    status: str
    documents: int
    generation: str
    built_at: float | None
    index_age_seconds: float | None


class WriteResponse(BaseModel):
    id: str
    status: str   # added, updated, unchanged, deleted


class LineError(BaseModel):
    source: str
    line: int
    reason: str


class BatchResponse(BaseModel):
    """The counts of ``rtes-search index --json`` (without the server's folder)."""

    added: int
    updated: int
    deleted: int
    unchanged: int
    skipped: int
    errors: list[LineError]
    documents: int
    seconds: float


class FileResponse(BaseModel):
    """What became of each resource of an uploaded file, and its lines that could not be read."""

    documents: list[WriteResponse]
    errors: list[LineError]


class ErrorDetail(BaseModel):
    status: int
    message: str
    param: str | None


class ErrorModel(BaseModel):
    error: ErrorDetail


def errors(*statuses: int) -> dict:
    """The ``responses`` entry documenting error statuses with the error model."""
    return {status: {"model": ErrorModel} for status in statuses}
