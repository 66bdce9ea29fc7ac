"""The kind of resource, from cues in its title (then its text), per data/types.json."""

from __future__ import annotations

from indexer.analysis import fold
from indexer.documents import Document
from indexer.metadata.rules import load_rules


def extract_type(doc: Document) -> str:
    """``"Fiche Déniché pour vous n°4 : …"`` → ``"Déniché pour vous"``."""
    rules = load_rules("types")
    for text in (doc.title, doc.summary + " " + doc.body):
        folded = fold(text)
        for rule in rules["rules"]:
            if any(cue in folded for cue in rule["cues"]):
                return rule["type"]
    return rules["default"]
