"""Territories a resource is about: French regions named in its title or text.

A first rule only: capitalised region names (hyphen or space between their
words). The facets issue replaces it with the official territorial reference.
"""

from __future__ import annotations

import re

from indexer.documents import Document

REGIONS = (
    "Auvergne-Rhône-Alpes", "Bourgogne-Franche-Comté", "Bretagne", "Centre-Val de Loire", "Corse",
    "Grand Est", "Hauts-de-France", "Île-de-France", "Normandie", "Nouvelle-Aquitaine", "Occitanie",
    "Pays de la Loire", "Provence-Alpes-Côte d'Azur", "Guadeloupe", "Martinique", "Guyane",
    "La Réunion", "Mayotte",
)


def _pattern(name: str) -> re.Pattern:
    words = [re.escape(w) for w in re.split(r"[- ]", name)]
    return re.compile(r"\b" + r"[- ]".join(words) + r"\b")


_PATTERNS = {name: _pattern(name) for name in REGIONS}


def extract_territories(doc: Document) -> tuple[str, ...]:
    """Regions named (case-sensitively) in the title, summary or body."""
    text = " ".join((doc.title, doc.summary, doc.body))
    return tuple(name for name, pattern in _PATTERNS.items() if pattern.search(text))
