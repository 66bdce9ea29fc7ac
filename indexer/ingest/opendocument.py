"""OpenDocument files (ODT texts, ODS spreadsheets, ODP presentations) through odfdo.

ODF is the format of the French administration's interoperability rules
(RGI) and LibreOffice's own. odfdo rather than odfpy: it is maintained
(odfpy's last release is from 2020) and reads all three kinds with one API.
Every heading and paragraph is read in document order; a table row (a
spreadsheet's, or a table in a text) is one paragraph, its cells separated
by " ; ".
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from odfdo import Document as OdfDocument

from indexer.documents import Document, IngestError
from indexer.ingest.office import property_date, read_office_file

TEXT = "//text:h | //text:p | //table:table-row"
IN_CELL = "ancestor::table:table-cell"
SLIDE_TITLE = "//draw:frame[@presentation:class='title']//text:p"


def _paragraphs(odf: OdfDocument) -> Iterator[str]:
    for element in odf.body.get_elements(TEXT):
        if element.tag == "table:table-row":
            yield " ; ".join(p.text_recursive for p in element.get_elements(".//text:p") if p.text_recursive.strip())
        elif not element.xpath(IN_CELL):
            yield element.text_recursive or ""


def _read(path: Path) -> dict:
    odf = OdfDocument(path)
    meta = odf.meta
    headings = odf.body.get_elements("//text:h") or odf.body.get_elements(SLIDE_TITLE)
    return {
        "paragraphs": list(_paragraphs(odf)), "title": meta.title or "",
        "heading": (headings[0].text_recursive or "") if headings else "",
        "file_date": property_date(meta.date, meta.creation_date), "lang": (meta.language or "").split("-")[0].lower(),
    }


def ingest_opendocument(path: Path) -> Iterator[Document | IngestError]:
    """One ``.odt``, ``.ods`` or ``.odp`` file: one Document."""
    return read_office_file(path, "OpenDocument", _read)
