"""How the page words what the searcher says: dates in French, notes apart from warnings.

The searcher's messages are short lower-case phrases meant for every face
(terminal, JSON); the page shows them as sentences, and tells apart what
informs (a synonym used, words searched through another spelling, how many
resources hold every word) from what warns (a filter value or a query piece
that selects nothing): notes are neutral, warnings in the warning colour.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
NEAR_COPY = 60      # characters two openings share when one paragraph is a near-copy of the other
COVERAGE = re.compile(r"(\d+) ressource\(s\) avec tous les termes, (\d+) avec une partie d'entre eux")
NOTES = (re.compile(r"synonyme : "), re.compile(r"« .+ » est (introuvable|rare) : recherché"),
         re.compile(r"aucune ressource ne contient tous les termes"), COVERAGE)


def french_date(value: str) -> str:
    """A stored date as a French reader writes it; what is not a real date is shown as stored.

    >>> french_date("2018-06-05"), french_date("2017-09"), french_date("2018-06-01"), french_date("2018")
    ('5 juin 2018', 'septembre 2017', '1er juin 2018', '2018')
    >>> french_date("2018-06-31")
    '2018-06-31'
    """
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value or "")
    if not match:
        return value
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        date(year, month, day or 1)
    except ValueError:
        return value
    named = f"{MONTHS[month - 1]} {year}"
    return named if day is None else f"{'1er' if day == 1 else day} {named}"


def sentence(text: str) -> str:
    """``text`` with a capital and a full stop.

    >>> sentence("synonyme : ESS = économie sociale et solidaire")
    'Synonyme : ESS = économie sociale et solidaire.'
    """
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")


def plainly(message: str) -> str:
    """A searcher message in the page's words (the count of resources holding every word, in full).

    >>> plainly("1 ressource(s) avec tous les termes, 3 avec une partie d'entre eux")
    '1 ressource contient tous les mots cherchés, 3 n’en contiennent qu’une partie.'
    """
    match = COVERAGE.fullmatch(message)
    if not match:
        return sentence(message)
    every, some = (int(n) for n in match.groups())
    holds = "ressource contient" if every == 1 else "ressources contiennent"
    part = "n’en contient qu’une partie" if some == 1 else "n’en contiennent qu’une partie"
    return f"{every} {holds} tous les mots cherchés, {some} {part}."


@dataclass(frozen=True)
class Notices:
    notes: list[str]
    warnings: list[str]


def notices(messages, left_out=()) -> Notices:
    """The searcher's ``messages`` as the page's notes and warnings, but those in ``left_out``
    (said otherwise by the page, such as a page past the last one)."""
    notes, warnings = [], []
    for message in messages:
        if message not in left_out:
            kind = notes if any(note.match(message) for note in NOTES) else warnings
            kind.append(plainly(message))
    return Notices(notes, warnings)


def _plain(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def without_summary(body: str, summary: str) -> list[str]:
    r"""The body's paragraphs, without the first ones that repeat the summary shown above them:
    a paragraph the summary holds, or a near-copy of its first paragraph (the same first
    ``NEAR_COPY`` characters; the export's pages often open with a shortened summary).

    >>> without_summary("Résumé.\n\nTexte.", "Résumé.\n\nSuite."), without_summary("Texte.", "Résumé.")
    (['Texte.'], ['Texte.'])
    """
    kept, said = paragraphs(body), _plain(summary)
    first = _plain(paragraphs(summary)[0]) if said else ""
    while kept and said:
        opening = _plain(kept[0])
        if opening not in said and len(os.path.commonprefix([opening, first])) < NEAR_COPY:
            break
        kept.pop(0)
    return kept
