"""Themes of a resource from the controlled vocabulary of data/themes.json.

A theme needs strong evidence: a cue in the title or in a "Mots clés :"
line, or repeated mentions in the body (``min_mentions``). All cues are
matched by one compiled pattern, in one pass over each field.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

from indexer.metadata.rules import load_rules, phrase_pattern
from indexer.metadata.text import DocText, Evidence

KEYWORDS = re.compile(r"mots[ -]cles ?:[^\n]*")


@cache
def _vocabulary() -> tuple[re.Pattern, dict[str, str], int]:
    rules = load_rules("themes")
    theme_of = {cue: theme for theme, cues in rules["themes"].items() for cue in cues}
    return phrase_pattern(theme_of), theme_of, rules["min_mentions"]


def _mentions(text: DocText, field: str, start: int = 0, end: int | None = None):
    pattern, theme_of, _ = _vocabulary()
    for match in pattern.finditer(text.folded[field], start, len(text.folded[field]) if end is None else end):
        yield theme_of[match[0]], match


def _strong(text: DocText) -> dict[str, Evidence]:
    found: dict[str, Evidence] = {}
    for theme, match in _mentions(text, "title"):
        found.setdefault(theme, text.evidence("theme", theme, f"« {match[0]} » dans le titre", "title", *match.span()))
    for field in ("body", "summary"):
        for line in KEYWORDS.finditer(text.folded[field]):
            for theme, match in _mentions(text, field, *line.span()):
                found.setdefault(theme, text.evidence("theme", theme, f"mot clé « {match[0]} »", field, *match.span()))
    return found


def explain_themes(text: DocText) -> list[Evidence]:
    """One Evidence per theme, in vocabulary order."""
    found = _strong(text)
    field = "body" if text.original["body"].strip() else "summary"
    mentions = defaultdict(list)
    for theme, match in _mentions(text, field):
        mentions[theme].append(match)
    minimum = _vocabulary()[2]
    for theme, matches in mentions.items():
        if theme not in found and len(matches) >= minimum:
            cues = ", ".join(dict.fromkeys(f"« {m[0]} »" for m in matches))
            rule = f"{len(matches)} mentions ({cues})"
            found[theme] = text.evidence("theme", theme, rule, field, *matches[0].span())
    order = list(load_rules("themes")["themes"])
    return sorted(found.values(), key=lambda e: order.index(e.value))
