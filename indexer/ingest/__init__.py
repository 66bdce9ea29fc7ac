"""Ingesters: every source format yields Documents or IngestErrors.

``iter_documents`` walks files and folders and picks the ingester by file
name; files of no known format (a README, an image) are ignored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator

from indexer.documents import Document, IngestError
from indexer.ingest.rtes_export import ingest_export

Ingester = Callable[[Path], Iterator[Document | IngestError]]

INGESTERS: dict[str, Ingester] = {
    ".txt": ingest_export,
}


def ingester_for(path: Path) -> Ingester | None:
    """The ingester of a file, by its suffix; None for files we do not read."""
    return INGESTERS.get(path.suffix.lower())


def source_files(paths: Iterable[Path]) -> list[Path]:
    """The readable source files under ``paths``, sorted for a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and ingester_for(p))
        elif ingester_for(path):
            files.append(path)
    return files


def iter_documents(paths: Iterable[Path]) -> Iterator[Document | IngestError]:
    """Every document (or per-record error) of every source file under ``paths``."""
    for path in source_files(paths):
        ingest = ingester_for(path)
        assert ingest is not None
        yield from ingest(path)
