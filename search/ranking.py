"""BM25F parameters, in one place (the field weights are in indexer/schema.py).

Chosen on the CDTN dev topics only (README, "Relevance"): the values and
what they measured are written there and pinned by tests/eval/cdtn/.
"""

from __future__ import annotations

from whoosh import scoring

K1 = 1.2
B = 0.75


def weighting() -> scoring.BM25F:
    """The scoring model every Searcher ranks with."""
    return scoring.BM25F(B=B, K1=K1)
