"""The write API: a website pushes its resources (``/api/v1/documents``, ``/api/v1/files``).

Each endpoint checks the write token (``authorised``), reads its body
within its own limit (``read_body``: a declared or a chunked body alike),
checks every field (``indexer.pushed``) and hands the documents to the
process's ``Pushes`` (``indexer.updates``): the answer comes once they
are in the journal, fsynced, and the ``Committer`` thread makes them
searchable within about a second, for every worker (each refreshes its
searcher at its next request). A batch answers once its documents are in
the index, with the counts of ``rtes-search index --json``. On a cluster
(``serve --cluster``) the process's ``ClusterPushes``
(``indexer.cluster.push``) writes them into the collection instead, and
the answer comes once the cluster acknowledged them.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPBearer
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from indexer import IndexLockedError, IndexReport, IngestError
from indexer.cluster import ClusterError, parse_cluster_url
from indexer.cluster.push import ClusterPushes
from indexer.committer import Committer
from indexer.pushed import InvalidFieldError, pushed_document, uploaded_documents
from indexer.storage import find_current, read_manifest
from indexer.updates import Pushes
from search.http.auth import bearer_digest, digest_allowed
from search.http.errors import ApiError
from search.http.limits import MAX_BATCH_BYTES, MAX_BATCH_LINES, MAX_DOCUMENT_BYTES, MAX_FILE_BYTES, read_body
from search.http.ratelimit import RateLimiter
from search.http.schemas import BatchResponse, FileResponse, WriteResponse, errors
from search.http.settings import Settings

write_scheme = HTTPBearer(auto_error=False, scheme_name="jeton d'écriture", description=(
    "Jeton d'écriture (RTES_SEARCH_WRITE_TOKENS), distinct des jetons de lecture ; sans jeton : 401, "
    "jeton de lecture : 403."))
router = APIRouter(prefix="/api/v1", tags=["Écriture"], dependencies=[Depends(write_scheme)],
                   responses=errors(400, 401, 403, 413, 429, 503))
DocId = Annotated[str, Path(max_length=500, description="Identifiant de la ressource.")]
REALM = 'Bearer realm="rtes-search"'
WRITES_OFF = ("écritures désactivées : aucun jeton d'écriture n'est configuré sur ce serveur "
              "(variable RTES_SEARCH_WRITE_TOKENS)")
DOCUMENT_BODY = {"content": {"application/json": {"schema": {"type": "object", "properties": {
    name: {"type": "string"} for name in ("title", "text", "summary", "type", "date", "year", "url", "lang")
} | {"themes": {"type": "array", "items": {"type": "string"}},
     "territories": {"type": "array", "items": {"type": "string"}}, "private": {"type": "boolean"}},
    "required": ["title"]}}}, "required": True}
BATCH_BODY = {"content": {"application/x-ndjson": {"schema": {"type": "string"}}}, "required": True}
FILE_FIELDS = ("title", "summary", "type", "date", "year", "themes", "territories", "url", "lang")
FILE_BODY = {"content": {"multipart/form-data": {"schema": {"type": "object", "properties": {
    "file": {"type": "string", "format": "binary"}, "id": {"type": "string"}, "private": {"type": "boolean"},
    **{name: {"type": "string"} for name in FILE_FIELDS}}, "required": ["file"]}}}, "required": True}


@dataclass
class Writes:
    """What one server process writes with: its ``Pushes`` and the thread that commits them (a local
    index), or its ``ClusterPushes`` (a cluster: written on answer, no committer); the token rate."""

    pushes: Pushes | ClusterPushes | None
    committer: Committer | None
    limiter: RateLimiter | None
    broken: str = ""   # why a cluster cannot be written to at all (its address, the client missing)

    @classmethod
    def open(cls, settings: Settings) -> "Writes | None":
        """The writes of the index or cluster with write tokens configured; None when writes are off."""
        if not settings.write_token_hashes:
            return None
        limiter = RateLimiter(settings.write_rate_limit, settings.write_rate_window) if settings.write_rate_limit else None
        if isinstance(settings.index_dir, str):
            try:
                return cls(ClusterPushes(parse_cluster_url(settings.index_dir)), None, limiter)
            except ClusterError as exc:   # said to each write: the server still searches what it can
                return cls(None, None, limiter, str(exc))
        pushes = Pushes(settings.index_dir)
        return cls(pushes, Committer(pushes), limiter)

    def start(self) -> None:
        if self.committer is not None:
            self.committer.start()

    def notify(self) -> None:
        """Tell the committer there is something to apply (a cluster has nothing left to do)."""
        if self.committer is not None:
            self.committer.notify()

    def close(self) -> None:
        if self.committer is not None:
            self.committer.stop()
        if self.pushes is not None:
            self.pushes.close()


def authorised(request: Request) -> Writes:
    """The process's ``Writes`` for a request with a write token, or the French 401/403/429."""
    settings, writes = request.app.state.settings, request.app.state.writes
    if writes is None:
        raise ApiError(403, WRITES_OFF)
    digest = bearer_digest(request.headers.get("authorization"))
    if digest is None:
        raise ApiError(401, "jeton d'écriture requis : en-tête « Authorization: Bearer JETON »",
                       headers={"WWW-Authenticate": REALM})
    if not digest_allowed(digest, settings.write_token_hashes):
        if digest_allowed(digest, settings.token_hashes):
            raise ApiError(403, "ce jeton donne accès en lecture seulement ; écrire demande un jeton d'écriture",
                           headers={"WWW-Authenticate": REALM + ', error="insufficient_scope"'})
        raise ApiError(401, "jeton d'écriture invalide", headers={"WWW-Authenticate": REALM + ', error="invalid_token"'})
    if writes.broken:
        raise ApiError(503, f"écriture non faite : {writes.broken}")
    if writes.limiter is not None:
        allowed, wait = writes.limiter.check(digest)
        if not allowed:
            raise ApiError(429, f"trop d'écritures : au plus {writes.limiter.limit} par période pour ce jeton, "
                                f"réessayez dans {wait} s", headers={"Retry-After": str(wait)})
    return writes


def _json(body: bytes):
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiError(400, f"JSON invalide : {getattr(exc, 'msg', 'UTF-8 attendu')}", "document") from None


def _checked(doc_id: str, data):
    try:
        return pushed_document(doc_id, data)
    except InvalidFieldError as exc:
        raise ApiError(400, str(exc), exc.field) from None


@router.put("/documents/{doc_id}", response_model=WriteResponse, summary="Ajouter ou remplacer une ressource",
            openapi_extra={"requestBody": DOCUMENT_BODY})
async def put_document(request: Request, doc_id: DocId):
    """``added``, ``updated`` or ``unchanged``; durable on answer, searchable within about a second."""
    writes = authorised(request)
    doc = _checked(doc_id, _json(await read_body(request, MAX_DOCUMENT_BYTES)))
    result = (await run_in_threadpool(_written, writes.pushes.put, [doc]))[0]
    writes.notify()
    return JSONResponse(result.to_dict())


@router.delete("/documents/{doc_id}", response_model=WriteResponse, responses=errors(404),
               summary="Supprimer une ressource")
async def delete_document(request: Request, doc_id: DocId):
    """``deleted``; 404 for an id the index does not hold."""
    writes = authorised(request)
    result = (await run_in_threadpool(_written, writes.pushes.delete, [doc_id]))[0]
    if result.status == "missing":
        raise ApiError(404, f"ressource inconnue : {doc_id}")
    writes.notify()
    return JSONResponse(result.to_dict())


@router.post("/documents", response_model=BatchResponse, summary="Envoyer des ressources par lot (NDJSON)",
             openapi_extra={"requestBody": BATCH_BODY})
async def post_documents(request: Request):
    """One JSON document a line (with its ``id``), up to 10,000 lines; a bad line is reported by number and skipped."""
    writes = authorised(request)
    started = time.perf_counter()
    lines = (await read_body(request, MAX_BATCH_BYTES)).split(b"\n")
    if sum(1 for line in lines if line.strip()) > MAX_BATCH_LINES:
        raise ApiError(413, f"lot trop long : au plus {MAX_BATCH_LINES} lignes par requête", "body")
    docs, errors_ = [], []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                data = _json(line)
                docs.append(_checked(data.get("id") if isinstance(data, dict) else None, data))
            except ApiError as exc:
                errors_.append(IngestError("api", number, exc.message))
    report = await run_in_threadpool(_push_batch, writes.pushes, docs, tuple(errors_), started)
    return JSONResponse({key: value for key, value in report.to_dict().items() if key != "index_dir"})


def _push_batch(pushes: Pushes | ClusterPushes, docs: list, errors_: tuple, started: float) -> IndexReport:
    """Journal ``docs``, apply them at once (a cluster: write them), and count as ``index --json`` does."""
    results = _written(pushes.put, docs)
    if isinstance(pushes, ClusterPushes):
        documents = _written(pushes.documents)
    else:
        try:
            pushes.apply(wait=30.0)
        except IndexLockedError:
            raise ApiError(503, "index occupé par une autre indexation : le lot est enregistré et sera indexé à "
                                "la fin de celle-ci ; renvoyez-le pour connaître les nombres",
                           headers={"Retry-After": "5"})
        generation = find_current(pushes.index_dir)
        documents = read_manifest(generation).get("documents", 0) if generation else 0
    counts = {status: sum(r.status == status for r in results) for status in ("added", "updated", "unchanged")}
    return IndexReport(counts["added"], counts["updated"], 0, counts["unchanged"], errors_, documents, "",
                       time.perf_counter() - started)


@router.post("/files", response_model=FileResponse, summary="Envoyer un fichier (PDF, HTML, export RTES…)",
             openapi_extra={"requestBody": FILE_BODY})
async def post_file(request: Request):
    """One file (multipart field ``file``), read by the ingesters of ``rtes-search index``; optional
    ``id`` (a file of one resource) and metadata fields over what the file says."""
    writes = authorised(request)
    form = await _form(request, await read_body(request, MAX_FILE_BYTES))
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise ApiError(400, "fichier attendu dans le champ « file » (multipart/form-data)", "file")
    fields = {name: value for name in FILE_FIELDS if isinstance(value := form.get(name), str) and value}
    if isinstance(form.get("private"), str):
        fields["private"] = _boolean(form["private"])
    try:
        docs, errors_ = uploaded_documents(await upload.read(), upload.filename or "", fields, form.get("id") or None)
    except InvalidFieldError as exc:
        raise ApiError(400, str(exc), exc.field) from None
    if not docs:
        reasons = " ; ".join(e.reason for e in errors_[:3]) or "aucune ressource lisible"
        raise ApiError(400, f"aucun document indexable dans {upload.filename} : {reasons}", "file")
    results = await run_in_threadpool(_written, writes.pushes.put, docs)
    writes.notify()
    return JSONResponse({"documents": [r.to_dict() for r in results],
                         "errors": [{"source": e.source, "line": e.line, "reason": e.reason} for e in errors_]})


def _written(write, *args):
    """``write(*args)``; a cluster that could not take it is a French 503 (nothing was acknowledged)."""
    try:
        return write(*args)
    except ClusterError as exc:
        raise ApiError(503, f"écriture non faite : {exc}", headers={"Retry-After": "5"}) from None


async def _form(request: Request, body: bytes):
    """The multipart form of ``body`` (read already, within its limit), or a French 400."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(400, "corps multipart/form-data attendu", "file")

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        return await Request(request.scope, receive).form(max_files=1, max_fields=len(FILE_FIELDS) + 2)
    except HTTPException:
        raise ApiError(400, "formulaire multipart illisible (un seul fichier, des champs connus)", "file") from None


def _boolean(value: str) -> bool:
    if value.strip().lower() not in ("true", "false"):
        raise ApiError(400, "champ « private » invalide : true ou false attendu", "private")
    return value.strip().lower() == "true"
