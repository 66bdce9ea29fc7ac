"""Year (and full date when known) of publication or last update.

Order of trust: an explicit update ("actualisé en juillet 2022") wins, the
latest one if several; then a full date in the title ("du 5 juin 2018");
then the first full date of the summary or body. No year rather than a
wrong one: a bare number is never taken for a year.
"""

from __future__ import annotations

import re

from indexer.analysis import fold
from indexer.documents import Document

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}
_MONTH = "(" + "|".join(MONTHS) + ")"
UPDATED = re.compile(r"actualise[e]?s? en " + _MONTH + r" ((?:19|20)\d\d)")
FULL_DATE = re.compile(r"\b(\d{1,2})(?:er)? " + _MONTH + r" ((?:19|20)\d\d)\b")


def extract_date(doc: Document) -> tuple[str, str]:
    """Return ``(year, iso_date)``; either may be empty when not known."""
    updates = [(int(y), MONTHS[m]) for m, y in UPDATED.findall(fold(doc.title + "\n" + doc.body + "\n" + doc.summary))]
    if updates:
        year, month = max(updates)
        return str(year), f"{year:04d}-{month:02d}"
    for text in (doc.title, doc.summary, doc.body):
        match = FULL_DATE.search(fold(text))
        if match:
            day, month, year = int(match[1]), MONTHS[match[2]], int(match[3])
            return str(year), f"{year:04d}-{month:02d}-{day:02d}"
    return "", ""
