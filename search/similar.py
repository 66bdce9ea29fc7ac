"""Similar resources: the key terms of one resource, searched in all the others.

Key terms are chosen by Whoosh's Bo1 model (divergence from randomness):
words frequent in this resource and rare in the index weigh most. Each
term is searched in title, summary and body with the field boosts and its
own weight, so resources sharing the most distinctive words rank first.
"""

from __future__ import annotations

from indexer.schema import FIELD_BOOSTS, TEXT_FIELDS
from search.nodes import AnyOf, Node, Terms

KEY_TERMS = 12
# Numbers (dates, issue numbers) and initials say little about what a resource is about.
NUMBERS_MARGIN = 6
MIN_LENGTH = 3
# The field whose statistics weigh key terms: the body, the largest text.
STATS_FIELD = "body"


def key_terms(searcher, stored: dict, count: int = KEY_TERMS) -> list[tuple[str, float]]:
    """``[(term, weight)]`` of the resource's title, summary and body, heaviest first."""
    text = "\n".join(stored.get(f) or "" for f in TEXT_FIELDS)
    if not text.strip():
        return []
    terms = searcher.key_terms_from_text(STATS_FIELD, text, numterms=count + NUMBERS_MARGIN, normalize=True)
    return [(t, w) for t, w in terms if len(t) >= MIN_LENGTH and not any(c.isdigit() for c in t)][:count]


def similar_query(searcher, stored: dict) -> Node | None:
    """Any of the key terms in any text field (``search.nodes``); None for a resource without text."""
    terms = key_terms(searcher, stored)
    if not terms:
        return None
    return AnyOf(tuple(Terms(f, (t,), w * FIELD_BOOSTS[f]) for t, w in terms for f in TEXT_FIELDS))
