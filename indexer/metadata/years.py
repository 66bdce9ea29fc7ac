"""Year (and date, as precise as known) of publication or of the last update.

Rules, in order of trust (the first that matches decides):

1. an update, "actualisé en juillet 2022" anywhere: the latest one wins
   ("Juin 2016, actualisé en septembre 2017" → 2017), date ``2017-09``;
2. a full date in the title, the date of the event a report is about
   ("… conférence en ligne 4 décembre 2018" → ``2018-12-04``);
3. a full date right after an event word and "du"/"le" in the summary or
   body ("colloque « ESS & Territoires » du 19 octobre 2017"), at most 40
   characters apart and with no legal reference in between: "décret … du
   8 juin 2006" dates a cited text, and "la Conférence internationale du
   travail dans sa 14e session tenue à Genève le 28 juin 1930" is too far.

No year rather than a wrong one: a bare number is never taken for a year,
a date that none of these rules finds is ignored, and so is a day that
does not exist ("31 juin 2018": the next date the rule finds is taken).
"""

from __future__ import annotations

import re
from datetime import date

from indexer.metadata.text import DocText, Evidence

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}
_MONTH = "(" + "|".join(MONTHS) + ")"
_YEAR = r"((?:19|20)\d\d)\b"
_DAY = r"\b(\d{1,2})(?:er)? "
UPDATED = re.compile(r"\b(?:actualise|mis a jour|mise a jour)e?s? (?:en |le )?(?:\d{1,2}(?:er)? )?" + _MONTH + " " + _YEAR)
FULL_DATE = re.compile(_DAY + _MONTH + " " + _YEAR)
EVENT_BEFORE = re.compile(
    r"\b(?:colloque|journee|rencontre|conference|visioconference|visio-conference|webinaire|seminaire|forum)"
    r"\b[^.\n]{0,40}\b(?:du|le) $"
)
LEGAL_REFERENCE = re.compile(r"\b(?:loi|decret|ordonnance|arrete|article|code|circulaire|directive|reglement|convention)\b")


def _updates(text: DocText) -> list[Evidence]:
    found = []
    for field, folded in text.folded.items():
        for match in UPDATED.finditer(folded):
            month, year = MONTHS[match[1]], int(match[2])
            found.append((year, month, field, match))
    if not found:
        return []
    year, month, field, match = max(found, key=lambda f: f[:2])
    rule = "mise à jour la plus récente"
    return [
        text.evidence("year", str(year), rule, field, match.start(), match.end()),
        text.evidence("date", f"{year:04d}-{month:02d}", rule, field, match.start(), match.end()),
    ]


def _full_date(text: DocText, field: str, rule: str, after_event: bool = False) -> list[Evidence]:
    folded = text.folded[field]
    for match in FULL_DATE.finditer(folded):
        if after_event:
            event = EVENT_BEFORE.search(folded, max(0, match.start() - 80), match.start())
            if not event or LEGAL_REFERENCE.search(event[0]):
                continue
        day, month, year = int(match[1]), MONTHS[match[2]], int(match[3])
        if not _exists(year, month, day):
            continue
        start, end = match.start(1), match.end()
        return [
            text.evidence("year", str(year), rule, field, start, end),
            text.evidence("date", f"{year:04d}-{month:02d}-{day:02d}", rule, field, start, end),
        ]
    return []


def _exists(year: int, month: int, day: int) -> bool:
    """Is this a day of the calendar? "31 juin 2018" is a typo, not a date to store."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def explain_date(text: DocText) -> list[Evidence]:
    """Evidence for ``year`` and ``date`` from the first rule that finds one."""
    return (
        _updates(text)
        or _full_date(text, "title", "date complète dans le titre")
        or _full_date(text, "summary", "date d'un événement dans le résumé", after_event=True)
        or _full_date(text, "body", "date d'un événement dans le texte", after_event=True)
    )
