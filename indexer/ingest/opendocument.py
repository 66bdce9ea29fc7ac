"""OpenDocument files (ODT texts, ODS spreadsheets, ODP presentations) through odfdo.

ODF is the format of the French administration's interoperability rules
(RGI) and LibreOffice's own. odfdo rather than odfpy: it is maintained
(odfpy's last release is from 2020) and reads all three kinds with one API.
Every heading and paragraph is read in document order (in a spreadsheet,
each cell's text is a paragraph; in a presentation, each frame's).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from odfdo import Document as OdfDocument

from indexer.documents import Document, IngestError
from indexer.ingest.office import file_document, property_date

TEXT = "//text:h | //text:p"
SLIDE_TITLE = "//draw:frame[@presentation:class='title']//text:p"


def ingest_opendocument(path: Path) -> Iterator[Document | IngestError]:
    """One ``.odt``, ``.ods`` or ``.odp`` file: one Document."""
    try:
        odf = OdfDocument(path)
        meta = odf.meta
        paragraphs = [element.text_recursive or "" for element in odf.body.get_elements(TEXT)]
        headings = odf.body.get_elements("//text:h") or odf.body.get_elements(SLIDE_TITLE)
        heading = headings[0].text_recursive if headings else ""
        title, modified, created, lang = meta.title, meta.date, meta.creation_date, meta.language
    except Exception as exc:  # odfdo raises bare exceptions of many kinds on a damaged zip or XML
        yield IngestError(str(path), 0, f"fichier OpenDocument illisible : {type(exc).__name__}: {exc}")
        return
    yield file_document(
        path, paragraphs, title=title or "", heading=heading or "", file_date=property_date(modified, created),
        lang=(lang or "").split("-")[0].lower(),
    )
