"""``.txt`` files: the RTES site's export when it carries the export's record labels, else plain text.

A plain text's title is its first line (the file name when that line is
longer than a title can be); the rest is its body. A file that is not
UTF-8 is an error, not guessed at: read as another encoding, a damaged
export would become one plain document and its resources would be deleted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from indexer.documents import Document, IngestError
from indexer.ingest.office import file_document
from indexer.ingest.rtes_export import (
    MAX_TITLE_CHARS, PRIVATE_LABEL, SUMMARY_LABEL, TYPE_LABEL, parse_export, read_paragraphs,
)

EXPORT_LABELS = frozenset({TYPE_LABEL, PRIVATE_LABEL, SUMMARY_LABEL})


def is_export(text: str) -> bool:
    """Does ``text`` carry the RTES export's record labels (each alone on a line)?"""
    return EXPORT_LABELS <= {line.strip() for line in text.splitlines()}


def ingest_text(path: Path) -> Iterator[Document | IngestError]:
    """An RTES export (one Document per record) or a plain text (one Document)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        yield IngestError(str(path), 0, f"fichier illisible : {exc}")
        return
    if is_export(text):
        yield from parse_export(text, str(path))
        return
    paragraphs = [paragraph.text for paragraph in read_paragraphs(text)]
    first, _, rest = (paragraphs[0] if paragraphs else "").partition("\n")
    if len(first) <= MAX_TITLE_CHARS:
        paragraphs = [first, rest, *paragraphs[1:]]
    yield file_document(path, paragraphs, heading=first if len(first) <= MAX_TITLE_CHARS else "")
