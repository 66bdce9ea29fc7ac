"""The collection-wide numbers BM25 needs, read from the cluster and kept for a searcher's life.

- ``size``: the documents of the collection (private ones included, as the
  local index counts every document it holds);
- average field lengths: the sums of the ``*_length`` facets (Typesense
  0.24 gives min, max, sum and average of a numeric facet);
- document frequencies: one count per (field, term), fetched in batches
  for every term of a query not seen before, and cached.

Lengths go through Whoosh's one-byte approximation, as the local index
stores them, so that a document scores the same on both backends.
"""

from __future__ import annotations

import math

import numpy as np
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer.cluster.schema import ANALYSED_FIELDS, LENGTHS
from indexer.schema import WORDS_FIELD
from search.cluster.expression import literal
from search.ranking import B, K1

_STORED_LENGTHS = np.array([byte_to_length(length_to_byte(n)) for n in range(256)], dtype=np.float64)


def stored_lengths(lengths: np.ndarray) -> np.ndarray:
    """The lengths as Whoosh keeps them (exact up to 255 terms… then rounded: one byte per length)."""
    lengths = lengths.astype(np.int64)
    small = lengths < 256
    out = np.empty(len(lengths), dtype=np.float64)
    out[small] = _STORED_LENGTHS[lengths[small]]
    if not small.all():
        out[~small] = [byte_to_length(length_to_byte(int(n))) for n in lengths[~small]]
    return out


class CollectionStatistics:
    """Size, average lengths and document frequencies of the collection a ``CollectionReader`` reads."""

    k1, b = K1, B

    def __init__(self, reader):
        self._reader = reader
        [answer] = reader.search([{"q": "*", "query_by": WORDS_FIELD, "per_page": 0,
                                   "facet_by": ",".join(LENGTHS.values()), "max_facet_values": 1}])
        self.size = answer["found"]
        sums = {c["field_name"]: (c.get("stats") or {}).get("sum", 0) for c in answer["facet_counts"]}
        self.totals = {field: float(sums.get(LENGTHS[field], 0)) for field in LENGTHS}
        self._frequencies: dict[tuple[str, str], int] = {}

    def average(self, field: str) -> float:
        return (self.totals[field] / (self.size or 1)) or 1.0

    def norm(self, field: str, lengths: np.ndarray) -> np.ndarray:
        """``K1 × ((1 − B) + B × length / average length)`` for each of ``lengths``."""
        return self.k1 * ((1 - self.b) + self.b * stored_lengths(lengths) / self.average(field))

    def prefetch(self, pairs) -> None:
        """Count, in one round trip, the documents of every (field, term) of ``pairs`` not known yet."""
        missing, searches = self.counting(pairs)
        if missing:
            self.record(missing, self._reader.search(searches))

    def counting(self, pairs) -> tuple[list[tuple[str, str]], list[dict]]:
        """The (field, term) of ``pairs`` not known yet, and the searches counting their documents (to send
        with others: ``record`` their answers)."""
        missing = list(dict.fromkeys(p for p in pairs if p not in self._frequencies))
        return missing, [{"q": "*", "query_by": WORDS_FIELD, "per_page": 0,
                          "filter_by": f"{ANALYSED_FIELDS[field]}:{literal(term)}"} for field, term in missing]

    def record(self, missing: list[tuple[str, str]], answers: list[dict]) -> None:
        for pair, answer in zip(missing, answers):
            self._frequencies[pair] = answer["found"]

    def frequency(self, field: str, term: str) -> int:
        """Documents of the collection holding ``term`` in ``field``."""
        self.prefetch([(field, term)])
        return self._frequencies[field, term]

    def idf(self, field: str, term: str) -> float:
        """Whoosh's idf: ``log(N / (df + 1)) + 1``."""
        return math.log(self.size / (self.frequency(field, term) + 1)) + 1
