"""Ingesters: every source format yields Documents, IngestErrors or LeftOuts.

``iter_documents`` walks files and folders and picks the ingester by file
name. Nothing is dropped without a word: a file of a format we do not read
(``format non pris en charge : .xyz``), an empty file and a ``README*`` in a
source folder are ``LeftOut`` items with that reason. Hidden files and
folders (``.git``, ``.DS_Store``) are not sources and are not walked. Table
formats (JSONL, CSV) and crawl folders take a ``FieldMapping``; the others ignore it. A
folder written by the crawler is read through its ``crawl.json`` only: the
pages and PDFs under it are its parts, not sources of their own.

``ingest_file`` reads one file; ``ingest_upload`` reads a file received
as bytes under its own name (the write API's uploads).

Ingesters are imported when a file needs them: the HTML, PDF and office
readers cost a tenth of a second that ``rtes-search search`` on an
up-to-date index should not pay.
"""

from __future__ import annotations

import importlib
import tempfile
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Iterator

from indexer.crawl.state import STATE_FILE
from indexer.documents import Document, IngestError, IngestWarning, LeftOut
from indexer.ingest.records import FieldMapping

Ingester = Callable[[Path], Iterator[Document | IngestError]]

# File name endings, longest first, and the ingester of each (module:function
# under indexer.ingest); the mapped ones take the FieldMapping.
INGESTERS: dict[str, str] = {
    ".jsonl.gz": "records:ingest_jsonl",
    ".csv.gz": "records:ingest_csv",
    ".jsonl": "records:ingest_jsonl",
    ".csv": "records:ingest_csv",
    ".txt": "plain_text:ingest_text",
    ".md": "markdown:ingest_markdown",
    ".markdown": "markdown:ingest_markdown",
    ".html": "site:ingest_html",
    ".htm": "site:ingest_html",
    ".pdf": "pdf:ingest_pdf",
    ".odt": "opendocument:ingest_opendocument",
    ".ods": "opendocument:ingest_opendocument",
    ".odp": "opendocument:ingest_opendocument",
    ".docx": "word:ingest_docx",
    ".pptx": "slides:ingest_pptx",
    STATE_FILE: "site:ingest_site",
}
MAPPED = frozenset({"records:ingest_jsonl", "records:ingest_csv", "site:ingest_site"})
# Files a page can link to and have read into it (``indexer.ingest.attachments``).
ATTACHABLE = frozenset({".pdf", ".odt", ".ods", ".odp", ".docx", ".pptx"})


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
    """The files under ``paths`` to read or to report, sorted for a stable order.

    Hidden files and folders are not walked; the parts of a crawl folder are
    read through its ``crawl.json`` only.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            crawls = [state.parent for state in path.rglob(STATE_FILE) if not _hidden(state, path)]
            files.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and not _hidden(p, path) and (p.name == STATE_FILE or not _inside(p, crawls))
            )
        else:
            files.append(path)
    return files


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _inside(path: Path, folders: list[Path]) -> bool:
    return any(folder in path.parents for folder in folders)


def not_read(path: Path, in_folder: bool = True) -> LeftOut | None:
    """Why ``path`` is not read at all (README in a folder, unknown format, empty), or None."""
    if in_folder and path.name.upper().startswith("README"):
        return LeftOut(str(path), 0, "README")
    if _ending(path) is None:
        return LeftOut(str(path), 0, f"format non pris en charge : {path.suffix.lower() or path.name}")
    try:
        empty = path.stat().st_size == 0
    except OSError:  # gone or unreadable: its ingester says so
        return None
    return LeftOut(str(path), 0, "fichier vide") if empty else None


def ingest_file(path: Path, mapping: FieldMapping | None = None, in_folder: bool = False,
                ) -> Iterator[Document | IngestError]:
    """The documents of one file, or the LeftOut saying why it gives none."""
    why = not_read(path, in_folder)
    if why is not None:
        yield why
        return
    ingest = ingester_for(path, mapping)
    assert ingest is not None
    yield from ingest(path)


def ingest_upload(data: bytes, name: str, mapping: FieldMapping | None = None) -> list[Document | IngestError]:
    """The documents of a file received as bytes under ``name`` (its format is read from the name).

    The bytes are read from a private temporary copy; every item says ``name`` as its source.
    """
    safe = Path(name).name or "document"
    with tempfile.TemporaryDirectory(prefix="rtes-upload-") as folder:
        path = Path(folder) / safe
        path.write_bytes(data)
        return [replace(item, source=name) for item in ingest_file(path, mapping)]


def iter_documents(paths: Iterable[Path], mapping: FieldMapping | None = None) -> Iterator[Document | IngestError]:
    """Every document (or per-record error) of every source file under ``paths``: ``read_sources``
    without what it says about files left out and values dropped."""
    return (item for item in read_sources(paths, mapping) if not isinstance(item, (LeftOut, IngestWarning)))


def read_sources(
    paths: Iterable[Path], mapping: FieldMapping | None = None, files: list[Path] | None = None,
) -> Iterator[Document | IngestError]:
    """Every document, per-record error, left-out file and warning of every source file under ``paths``
    (``files``: ``source_files(paths)``, when the caller has them already).

    PDF and office files come last, and one an HTML page of the same run
    already attached is not a document of its own: a page and its "version
    imprimable" are one result.
    """
    paths = list(paths)
    files = source_files(paths) if files is None else files
    named = {path.resolve() for path in paths if not path.is_dir()}
    attached: set[Path] = set()
    for path in sorted(files, key=lambda p: _ending(p) in ATTACHABLE):
        if _ending(path) in ATTACHABLE and path.resolve() in attached:
            continue
        for item in ingest_file(path, mapping, in_folder=path.resolve() not in named):
            if _ending(path) in (".html", ".htm") and isinstance(item, Document):
                attached.update((path.parent / name).resolve() for name in item.attachments)
            yield item
