"""Themes of a resource from the controlled vocabulary of data/themes.json."""

from __future__ import annotations

import re
from functools import cache

from indexer.analysis import fold
from indexer.documents import Document
from indexer.metadata.rules import load_rules


@cache
def _patterns() -> dict[str, re.Pattern]:
    themes = load_rules("themes")["themes"]
    return {
        theme: re.compile(r"\b(?:%s)\b" % "|".join(re.escape(c) for c in cues))
        for theme, cues in themes.items()
    }


def extract_themes(doc: Document) -> tuple[str, ...]:
    """Every theme one of whose cues occurs in the resource, in vocabulary order."""
    text = fold(" ".join((doc.title, doc.summary, doc.body))).replace("’", "'")
    return tuple(theme for theme, pattern in _patterns().items() if pattern.search(text))
