"""Search results as CSV for spreadsheets: one row per hit, every page up to a cap.

Shared by ``rtes-search search --csv`` and ``GET /api/v1/search.csv`` so both
write the same bytes. Choices, for LibreOffice and Excel alike:

- UTF-8 **with a BOM**: Excel opens a CSV as the local ANSI code page unless
  it starts with one (``é`` would show as ``Ã©``); LibreOffice and Python's
  ``csv`` (``encoding="utf-8-sig"``) read it transparently.
- Separator ``,`` by default (RFC 4180), ``;`` on request: French Excel
  splits on ``;`` only. With ``;`` the score is written with a decimal comma,
  as a French spreadsheet reads numbers.
- Multi-valued cells (themes, territories) are joined with `` | ``.
- A text cell starting with ``=``, ``+``, ``-``, ``@`` (a formula to a
  spreadsheet) is prefixed with ``'``, so a title can never run as one.
- At most ``MAX_CSV_ROWS`` rows (the hits beyond are left out; the JSON
  API's ``total`` says how many there are).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from search.results import Hit
from search.searcher import MAX_LIMIT

MAX_CSV_ROWS = 1000
COLUMNS = ("id", "title", "type", "year", "date", "themes", "territories", "url", "score")
SEPARATORS = (",", ";")
MULTI_SEPARATOR = " | "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def all_hits(searcher, query: str, filters: dict | None = None, sort: str = "relevance",
             include_private: bool = False, cap: int = MAX_CSV_ROWS) -> Iterator[Hit]:
    """Every hit of ``query`` in ``sort`` order, page after page, at most ``cap`` of them."""
    page, given = 1, 0
    while given < cap:
        results = searcher.search(query, filters=filters, limit=MAX_LIMIT, page=page, sort=sort,
                                  include_private=include_private)
        for hit in results.hits[:cap - given]:
            given += 1
            yield hit
        if page >= results.pages:
            return
        page += 1


def _text(value: str) -> str:
    """A cell a spreadsheet shows as text, never evaluates.

    >>> _text("=1+1"), _text("Lille (59)")
    ("'=1+1", 'Lille (59)')
    """
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def hit_row(hit: Hit, separator: str = ",") -> list[str]:
    """The cells of one hit, in ``COLUMNS`` order."""
    score = f"{hit.score:.4f}"
    if separator == ";":
        score = score.replace(".", ",")
    cells = [hit.id, hit.title, hit.type, hit.year, hit.date, MULTI_SEPARATOR.join(hit.themes),
             MULTI_SEPARATOR.join(hit.territories), hit.url]
    return [_text(cell) for cell in cells] + [score]


def csv_text(hits: Iterable[Hit], separator: str = ",") -> str:
    """The whole file: BOM, header, one row per hit, CRLF line ends (RFC 4180)."""
    if separator not in SEPARATORS:
        raise ValueError(f"séparateur non pris en charge : {separator!r} (possibles : , ou ;)")
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(hit_row(hit, separator) for hit in hits)
    return out.getvalue()
