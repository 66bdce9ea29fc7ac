"""The documents a search fetched from the cluster, as the postings our ranking reads.

Typesense returns each document's analysed terms (``title_terms``…,
``words``), how many there are, and where their positions jump (the
writer records it: ``indexer.cluster.schema``). From them this module
builds, for the fetched documents only, what ``search.ranking`` needs of
an index: per (field, term) the documents holding it and its frequency,
its positions for phrases and proximity, and BM25 with the collection's
statistics (``search.cluster.statistics``). So the local index's ranking
code (``Evaluator``, ``rank``, ``Ranking.best``) runs unchanged over them:
same formula, same coordination, same proximity. Document numbers here
are positions in the fetched list.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

import numpy as np

from indexer.cluster.schema import ANALYSED_FIELDS, LENGTHS, POSITIONS
from indexer.schema import FACET_FIELDS, MULTI_VALUED
from search.counts import ordered_counts
from search.nodes import Node, leaves

EMPTY_DOCS = np.zeros(0, dtype=np.int32)


class Jumps:
    """Where positions jump in one field of one document (``moves``: ``[index, shift]`` pairs, by index)."""

    def __init__(self, moves):
        self.at = [at for at, _ in moves or ()]
        self.total = list(accumulate(shift for _, shift in moves or ()))

    def position(self, index: int) -> int:
        """The position of the term at ``index``: its index plus the jumps up to it.

        >>> [Jumps([[0, 1], [1, -1]]).position(i) for i in range(4)]  # coconstruct co construct polit
        [1, 1, 2, 3]
        """
        before = bisect_right(self.at, index)
        return index + (self.total[before - 1] if before else 0)


def wanted_terms(nodes: list[Node | None]) -> dict[str, set[str]]:
    """Every term the nodes may ask about, per field (negated parts included)."""
    found: dict[str, set[str]] = {}
    for node in nodes:
        for leaf in leaves(node, positive=False):
            found.setdefault(leaf.field, set()).update(leaf.terms)
    return found


class CandidatePostings:
    """Postings over fetched documents (``hits``: Typesense documents), for the terms in ``wanted``.

    The interface of ``search.local.postings.Postings`` that ``search.ranking``
    uses: ``size``, ``get``, ``bm25``, ``phrase_docs``.
    """

    def __init__(self, hits: list[dict], wanted: dict[str, set[str]], statistics):
        self.size = len(hits)
        self._statistics = statistics
        self._lengths = {f: np.array([h.get(LENGTHS[f], 0) for h in hits], dtype=np.float64) for f in wanted}
        self._positions: dict[tuple[str, str], dict[int, list[int]]] = {}
        for field, terms in wanted.items():
            for doc, hit in enumerate(hits):
                self._read(doc, hit, field, terms)

    def _read(self, doc: int, hit: dict, field: str, terms: set[str]) -> None:
        """Record where the wanted ``terms`` stand in the document's terms of ``field``.

        The terms are joined by single spaces: with a space added at each
        end, a term stands wherever `` term `` does, and its index is the
        number of spaces before that. ``str.find`` and ``str.count`` do the
        scanning in C, a few calls per wanted term: a regular expression
        over the whole text cost twice as much (8.5 against 4.1 ms of CPU
        per search: 250 law articles fetched, 40 CDTN queries; the same positions).
        """
        text = hit.get(ANALYSED_FIELDS[field])
        if not text:
            return
        padded, jumps = f" {text} ", None
        for term in terms:
            needle = f" {term} "
            at = padded.find(needle)
            if at < 0:
                continue
            jumps = jumps or Jumps((hit.get(POSITIONS) or {}).get(field))
            found, index, last = [], 0, 0
            while at >= 0:
                index += padded.count(" ", last, at)
                last = at
                found.append(jumps.position(index))
                at = padded.find(needle, at + len(needle) - 1)
            self._positions.setdefault((field, term), {})[doc] = found

    def get(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """``(docs, tf)``: the fetched documents holding ``term`` in ``field``, and how often."""
        found = self._positions.get((field, term))
        if not found:
            return EMPTY_DOCS, np.zeros(0)
        docs = np.fromiter(found, dtype=np.int32, count=len(found))
        order = np.argsort(docs)
        tf = np.fromiter((len(p) for p in found.values()), dtype=np.float64, count=len(found))
        return docs[order], tf[order]

    def bm25(self, field: str, term: str, docs: np.ndarray, tf: np.ndarray) -> np.ndarray:
        """BM25 as the local index computes it, with the collection's idf and average length."""
        norm = self._statistics.norm(field, self._lengths[field][docs])
        k1 = self._statistics.k1
        return self._statistics.idf(field, term) * ((tf * (k1 + 1)) / (tf + norm))

    def phrase_docs(self, field: str, terms: tuple[str, ...], candidates: np.ndarray) -> np.ndarray:
        """The ``candidates`` where ``terms`` stand at consecutive positions of ``field``."""
        lists = [self._positions.get((field, t), {}) for t in terms]
        found = []
        for doc in np.unique(candidates).tolist():
            starts = set(lists[0].get(doc, ()))
            for shift, positions in enumerate(lists[1:], 1):
                starts &= {p - shift for p in positions.get(doc, ())}
                if not starts:
                    break
            if starts:
                found.append(doc)
        return np.asarray(found, dtype=np.int32)


class CandidateFacets:
    """Facet masks over the fetched documents (the interface ``search.ranking.Evaluator`` uses)."""

    def __init__(self, hits: list[dict]):
        self._hits = hits
        self.size = len(hits)

    def values(self, doc: int, field: str) -> tuple[str, ...]:
        value = self._hits[doc].get(field)
        if not value:
            return ()
        return tuple(value) if field in MULTI_VALUED else (value,)

    def mask(self, field: str, wanted: tuple[str, ...]) -> np.ndarray:
        """``bool[size]``: the fetched documents carrying one of ``wanted`` in ``field``."""
        chosen = set(wanted)
        return np.array([bool(chosen.intersection(self.values(d, field))) for d in range(self.size)], dtype=bool)

    def counts(self, mask: np.ndarray, fields=FACET_FIELDS) -> dict[str, dict[str, int]]:
        """``{facet: {value: count}}`` over the documents of ``mask``, ordered as the local index orders them."""
        counted: dict[str, dict[str, int]] = {field: {} for field in fields}
        for doc in np.flatnonzero(mask).tolist():
            for field in fields:
                for value in self.values(doc, field):
                    counted[field][value] = counted[field].get(value, 0) + 1
        return {field: ordered_counts(field, values.items()) for field, values in counted.items()}
