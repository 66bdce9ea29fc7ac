"""What every office file (OpenDocument, Word, PowerPoint) and plain file becomes: one Document.

The readers of each format (``opendocument``, ``word``, ``slides``,
``markdown``, ``plain_text``) only find the file's properties and its
paragraphs; the rules they share live here: the title is the file's own
title property, else its first heading, else the file name; the body is
every paragraph but the one that gave the title; the date the file's
properties give (last modified, else created) is kept as ``file_date``,
which the metadata step uses only when the text itself names no date.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterator

from indexer.documents import Document, IngestError, LeftOut
from indexer.ingest.names import file_title, page_id


def property_date(*values: date | datetime | str | None) -> str:
    """The first of ``values`` that is a date, as ``YYYY-MM-DD`` ("" when none is).

    >>> property_date(None, datetime(2021, 3, 15, 10, 0), date(2020, 1, 1))
    '2021-03-15'
    """
    for value in values:
        if isinstance(value, date):  # a datetime is a date too
            return value.strftime("%Y-%m-%d")
        if isinstance(value, str) and value.strip():
            try:
                return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).strftime("%Y-%m-%d")
            except ValueError:
                continue
    return ""


def file_document(
    path: Path, paragraphs: list[str], *, title: str = "", heading: str = "", file_date: str = "", **values,
) -> Document | IngestError:
    """The Document of a file: its ``title`` property, else its first ``heading``, else its name.

    ``paragraphs`` are the file's text in reading order; a first paragraph
    that is the title (the heading that gave it) is not repeated in the body. A file
    with no text at all is left out, saying so.
    """
    paragraphs = [" ".join(p.split()) if "\n" not in p else p.strip() for p in paragraphs]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        return LeftOut(str(path), 0, "fichier sans texte")
    title = " ".join((title or heading).split())
    if paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    return Document(
        id=page_id(str(path)), title=title or file_title(path), body="\n\n".join(paragraphs),
        source=str(path), file_date=file_date, **values,
    )


def read_office_file(path: Path, kind: str, read: Callable[[Path], dict]) -> Iterator[Document | IngestError]:
    """One office file: ``read(path)`` gives ``file_document``'s arguments; a damaged file, whatever
    its reader raises (zipfile, zlib, lxml or the library itself), is an IngestError naming ``kind``."""
    try:
        values = read(path)
    except Exception as exc:  # noqa: BLE001 - a damaged file must be reported, never stop the run
        yield IngestError(str(path), 0, f"fichier {kind} illisible : {type(exc).__name__}: {exc}")
        return
    yield file_document(path, **values)


def core_properties(properties) -> dict:
    """Title, date and language from the core properties of a Word or PowerPoint file (same API in both)."""
    return {
        "title": properties.title or "", "file_date": property_date(properties.modified, properties.created),
        "lang": (properties.language or "").split("-")[0].lower(),
    }
