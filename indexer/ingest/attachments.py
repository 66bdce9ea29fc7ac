"""Files a page links to (PDF, OpenDocument, Word, PowerPoint): read into that page, or on their own.

A resource page and its "version imprimable" are one search result: the
text of each file the page links to is appended to the page's body under a
heading naming the file, and its address is kept in ``attachments``. A file
no page links to is a Document of its own. Each file is read by the
ingester its name calls for (``ingest_upload``), under the name its address
gives: a crawl stores bodies under hashed names.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Iterator, Mapping

from indexer.documents import Document, IngestError, IngestWarning
from indexer.ingest import ingest_upload
from indexer.ingest.names import file_name, page_id


def read_attachment(path: Path, address: str) -> Document | IngestError:
    """The Document the file at ``path`` gives, read under the name of ``address``; else why not."""
    try:
        items = ingest_upload(path.read_bytes(), file_name(address))
    except OSError as exc:
        return IngestError(str(path), 0, f"fichier illisible : {exc}")
    document = next((item for item in items if isinstance(item, Document)), None)
    return document or next((item for item in items if not isinstance(item, IngestWarning)),
                            IngestError(str(path), 0, "aucun texte"))


def with_attachments(doc: Document, files: Mapping[str, Path]) -> Iterator[Document | IngestWarning]:
    """``doc`` with the text of each readable file of ``files`` (address → local file) appended,
    after a warning for each file that cannot be read (the page itself stays searchable)."""
    parts, kept = [doc.body], []
    for address, path in files.items():
        attached = read_attachment(path, address)
        if isinstance(attached, IngestError):
            yield IngestWarning(doc.source, 0, f"pièce jointe non indexée : {file_name(address)} ({attached.reason})")
            continue
        parts.append(f"[Document joint : {file_name(address)}]\n\n{attached.body}")
        kept.append(address)
    yield replace(doc, body="\n\n".join(p for p in parts if p), attachments=tuple(kept))


def file_document(path: Path, url: str, fetched_at: str = "") -> Document | IngestError:
    """A crawled file no page links to, as a Document of its own (its id and address from ``url``)."""
    attached = read_attachment(path, url)
    if isinstance(attached, IngestError):
        return replace(attached, source=str(path))
    return replace(attached, id=page_id(url), source=str(path), url=url, fetched_at=fetched_at, attachments=(url,))
