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

from indexer.documents import Document, IngestError, LeftOut
from indexer.ingest.names import file_title, page_id


def property_date(*values: date | datetime | str | None) -> str:
    """The first of ``values`` that is a date, as ``YYYY-MM-DD`` ("" when none is).

    >>> property_date(None, datetime(2021, 3, 15, 10, 0), date(2020, 1, 1))
    '2021-03-15'
    """
    for value in values:
        if isinstance(value, (date, datetime)):
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
