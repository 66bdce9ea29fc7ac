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
from collections.abc import Iterable

from search.results import Hit
from search.limits import MAX_HITS

MAX_CSV_ROWS = MAX_HITS
COLUMNS = ("id", "title", "type", "year", "date", "themes", "territories", "url", "score")
# The same columns named for a French spreadsheet (the search page's export; the API keeps its keys).
FRENCH_COLUMNS = ("identifiant", "titre", "type", "année", "date", "thèmes", "territoires", "adresse", "score")
SEPARATORS = (",", ";")
MULTI_SEPARATOR = " | "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


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


def csv_text(hits: Iterable[Hit], separator: str = ",", header: tuple[str, ...] = COLUMNS) -> str:
    """The whole file: BOM, ``header`` (``COLUMNS`` or ``FRENCH_COLUMNS``), one row per hit, CRLF line
    ends (RFC 4180)."""
    if separator not in SEPARATORS:
        raise ValueError(f"séparateur non pris en charge : {separator!r} (possibles : , ou ;)")
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(hit_row(hit, separator) for hit in hits)
    return out.getvalue()
