"""Ingesters: every source format yields Documents or IngestErrors.

``iter_documents`` walks files and folders and picks the ingester by file
name; files of no known format (a README, an image) are ignored. Table
formats (JSONL, CSV) take a ``FieldMapping``; the others ignore it. A
folder written by the crawler is read through its ``crawl.json`` only: the
pages and PDFs under it are its parts, not sources of their own.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Iterator

from indexer.documents import Document, IngestError
from indexer.crawl.state import STATE_FILE
from indexer.ingest.pdf import ingest_pdf
from indexer.ingest.records import FieldMapping, ingest_csv, ingest_jsonl
from indexer.ingest.rtes_export import ingest_export
from indexer.ingest.site import ingest_html, ingest_site

Ingester = Callable[[Path], Iterator[Document | IngestError]]

# File name endings, longest first, and the ingester of each; the mapped
# ones take the FieldMapping.
INGESTERS: dict[str, Callable] = {
    ".jsonl.gz": ingest_jsonl,
    ".csv.gz": ingest_csv,
    ".jsonl": ingest_jsonl,
    ".csv": ingest_csv,
    ".txt": ingest_export,
    ".html": ingest_html,
    ".htm": ingest_html,
    ".pdf": ingest_pdf,
    STATE_FILE: ingest_site,
}
MAPPED = frozenset({ingest_jsonl, ingest_csv})


def ingester_for(path: Path, mapping: FieldMapping | None = None) -> Ingester | None:
    """The ingester of a file, by the end of its name; None for files we do not read."""
    name = path.name.lower()
    for ending, ingest in INGESTERS.items():
        if name.endswith(ending):
            return partial(ingest, mapping=mapping) if ingest in MAPPED else ingest
    return None


def source_files(paths: Iterable[Path]) -> list[Path]:
    """The readable source files under ``paths``, sorted for a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            crawls = [state.parent for state in path.rglob(STATE_FILE)]
            files.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and ingester_for(p) and (p.name == STATE_FILE or not _inside(p, crawls))
            )
        elif ingester_for(path):
            files.append(path)
    return files


def _inside(path: Path, folders: list[Path]) -> bool:
    return any(folder in path.parents for folder in folders)


def iter_documents(paths: Iterable[Path], mapping: FieldMapping | None = None) -> Iterator[Document | IngestError]:
    """Every document (or per-record error) of every source file under ``paths``."""
    for path in source_files(paths):
        ingest = ingester_for(path, mapping)
        assert ingest is not None
        yield from ingest(path)
