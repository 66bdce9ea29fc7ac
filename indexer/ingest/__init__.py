"""Ingesters: every source format yields Documents or IngestErrors.

``iter_documents`` walks files and folders and picks the ingester by file
name; files of no known format (a README, an image) are ignored. Table
formats (JSONL, CSV) and crawl folders take a ``FieldMapping``; the others ignore it. A
folder written by the crawler is read through its ``crawl.json`` only: the
pages and PDFs under it are its parts, not sources of their own.

Ingesters are imported when a file needs them: the HTML and PDF readers
(beautifulsoup4, pypdf) cost a tenth of a second that ``rtes-search search``
on an up-to-date index should not pay.
"""

from __future__ import annotations

import importlib
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Iterator

from indexer.crawl.state import STATE_FILE
from indexer.documents import Document, IngestError
from indexer.ingest.records import FieldMapping

Ingester = Callable[[Path], Iterator[Document | IngestError]]

# File name endings, longest first, and the ingester of each (module:function
# under indexer.ingest); the mapped ones take the FieldMapping.
INGESTERS: dict[str, str] = {
    ".jsonl.gz": "records:ingest_jsonl",
    ".csv.gz": "records:ingest_csv",
    ".jsonl": "records:ingest_jsonl",
    ".csv": "records:ingest_csv",
    ".txt": "rtes_export:ingest_export",
    ".html": "site:ingest_html",
    ".htm": "site:ingest_html",
    ".pdf": "pdf:ingest_pdf",
    STATE_FILE: "site:ingest_site",
}
MAPPED = frozenset({"records:ingest_jsonl", "records:ingest_csv", "site:ingest_site"})


def _ending(path: Path) -> str | None:
    name = path.name.lower()
    return next((ending for ending in INGESTERS if name.endswith(ending)), None)


def ingester_for(path: Path, mapping: FieldMapping | None = None) -> Ingester | None:
    """The ingester of a file, by the end of its name; None for files we do not read."""
    ending = _ending(path)
    if ending is None:
        return None
    module, _, function = INGESTERS[ending].partition(":")
    ingest = getattr(importlib.import_module(f"indexer.ingest.{module}"), function)
    return partial(ingest, mapping=mapping) if INGESTERS[ending] in MAPPED else ingest


def source_files(paths: Iterable[Path]) -> list[Path]:
    """The readable source files under ``paths``, sorted for a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            crawls = [state.parent for state in path.rglob(STATE_FILE)]
            files.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and _ending(p) and (p.name == STATE_FILE or not _inside(p, crawls))
            )
        elif _ending(path):
            files.append(path)
    return files


def _inside(path: Path, folders: list[Path]) -> bool:
    return any(folder in path.parents for folder in folders)


def iter_documents(
    paths: Iterable[Path], mapping: FieldMapping | None = None, files: list[Path] | None = None,
) -> Iterator[Document | IngestError]:
    """Every document (or per-record error) of every source file under ``paths``
    (``files``: ``source_files(paths)``, when the caller has them already).

    PDF files come last, and one an HTML page of the same run already
    attached is not a document of its own: a page and its "version
    imprimable" are one result.
    """
    files = source_files(paths) if files is None else files
    attached: set[Path] = set()
    for path in sorted(files, key=lambda p: _ending(p) == ".pdf"):
        if _ending(path) == ".pdf" and path.resolve() in attached:
            continue
        ingest = ingester_for(path, mapping)
        assert ingest is not None
        for item in ingest(path):
            if _ending(path) in (".html", ".htm") and isinstance(item, Document):
                attached.update((path.parent / name).resolve() for name in item.attachments)
            yield item
