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

import numpy as np

from indexer.cluster.schema import ANALYSED_FIELDS, LENGTHS, POSITIONS
from indexer.schema import FACET_FIELDS, MULTI_VALUED
from search.counts import ordered_counts
from search.nodes import Node, leaves

EMPTY_DOCS = np.zeros(0, dtype=np.int32)
SPACE, NEWLINE = ord(" "), ord("\n")


class _Jumps:
    """Where positions jump in one field of the fetched documents (``POSITIONS``: ``[index, shift]`` pairs
    per document, by index), keyed by the term's rank among all the documents' terms (``first``: the
    rank of each document's first term)."""

    def __init__(self, hits: list[dict], field: str, first: np.ndarray):
        keys, docs, totals = [], [], []
        for doc, hit in enumerate(hits):
            total = 0
            for index, shift in (hit.get(POSITIONS) or {}).get(field) or ():
                total += shift
                keys.append(int(first[doc]) + index)
                docs.append(doc)
                totals.append(total)
        self._keys = np.asarray(keys, dtype=np.int64)
        self._docs = np.asarray([*docs, -1], dtype=np.int64)       # one past the last: no jump
        self._totals = np.asarray([*totals, 0], dtype=np.int64)

    def shifts(self, docs: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """How far the terms of rank ``keys`` (in documents ``docs``) stand past their index: the sum of
        their document's jumps up to them.

        >>> hits = [{"positions": {"title": [[0, 1], [1, -1]]}}]  # coconstruct co construct polit
        >>> (np.arange(4) + _Jumps(hits, "title", np.array([0])).shifts(np.zeros(4, dtype=int), np.arange(4))).tolist()
        [1, 1, 2, 3]
        """
        last = np.searchsorted(self._keys, keys, side="right") - 1   # -1: before any, the sentinel
        return np.where(self._docs[last] == docs, self._totals[last], 0)


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
            self._read(hits, field, terms)

    def _read(self, hits: list[dict], field: str, terms: set[str]) -> None:
        """Record where the wanted ``terms`` stand in the fetched documents' terms of ``field``.

        Each document's terms are joined by single spaces, with a space at
        each end, and the documents by line breaks: the terms of all of
        them, one after the other, are what stands after each space, up to
        the next. numpy compares them with each wanted term, byte by byte
        among those of its length (the text's UTF-8 bytes: a term's letters
        are the same bytes wherever it stands), and gives each its document
        and its index there, all at once. 250 law articles hold a query's
        terms about 1,200 times: a loop of ``str.find`` per term and
        document cost 6.0 ms of CPU per search, this on the UTF-32 code
        points 2.9 ms; on the bytes, a quarter of the memory, it costs
        2.8 against 3.7 ms for the code points, measured side by side at a
        load of 2 (80 bench queries over the 101,194 articles; the same
        positions).
        """
        name = ANALYSED_FIELDS[field]
        text = " \n ".join([hit.get(name) or "" for hit in hits])
        codes = np.frombuffer(f" {text} ".encode(), dtype=np.uint8)
        spaces = np.flatnonzero(codes == SPACE)         # term k stands right after space k
        lengths = np.diff(spaces) - 1                   # ... and up to space k + 1
        starts = np.concatenate(([0], np.flatnonzero(codes == NEWLINE) + 1))
        first = np.searchsorted(spaces, starts)         # each document's first term
        jumps = None
        for term in terms:
            letters = np.frombuffer(term.encode(), dtype=np.uint8)
            found = np.flatnonzero(lengths == len(letters))
            for offset, letter in enumerate(letters.tolist(), 1):
                found = found[codes[spaces[found] + offset] == letter]
            if not len(found):
                continue
            jumps = jumps or _Jumps(hits, field, first)
            docs = np.searchsorted(first, found, side="right") - 1
            positions = found - first[docs] + jumps.shifts(docs, found)
            held, at = np.unique(docs, return_index=True)
            positions = positions.tolist()
            ends = [*at[1:].tolist(), len(positions)]
            self._positions[field, term] = {doc: positions[a:b] for doc, a, b in zip(held.tolist(), at.tolist(), ends)}

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
