"""The kind of resource, from cues in its title (then its summary), per data/types.json.

A resource without any cue gets no type: law articles and other sources
that are not RTES resources stay untyped rather than wrongly typed.
"""

from __future__ import annotations

import re
from functools import cache

from indexer.metadata.rules import load_rules, phrase_pattern
from indexer.metadata.text import DocText, Evidence

FIELD_NAMES = {"title": "titre", "summary": "résumé", "body": "texte"}


@cache
def _rules() -> tuple[tuple[str, re.Pattern], ...]:
    rules = load_rules("types")["rules"]
    return tuple((rule["type"], phrase_pattern(rule["cues"])) for rule in rules)


def explain_type(text: DocText) -> list[Evidence]:
    """The one type found, with its cue: ``"Fiche Déniché pour vous n°4 : …"`` → Déniché pour vous."""
    for field in load_rules("types")["fields"]:
        folded = text.folded[field]
        for value, pattern in _rules():
            match = pattern.search(folded)
            if match:
                rule = f"indice « {match[0]} » dans le {FIELD_NAMES[field]} (types.json)"
                return [text.evidence("type", value, rule, field, match.start(), match.end())]
    return []
