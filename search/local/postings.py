"""Postings as numpy arrays, read from the Whoosh index and kept for a searcher's life.

Whoosh stays the index of record (stored fields, the term dictionary,
the postings files); this module reads what ranking needs into arrays:

- per (field, term), a ``PostingList``: ``docs`` (int32, sorted global
  document numbers, deleted documents left out), ``tf`` (float64 term
  frequencies) and each posting's encoded positions, read block by block
  straight from Whoosh's postings file (a block is a pickled tuple of id
  deltas, weights and positions; the deltas are summed by numpy instead of
  Whoosh's per-posting Python loop), kept in an LRU bounded in bytes;
- per field: the document lengths Whoosh scores with (its one-byte
  approximations, decoded), turned once into the BM25 length norm.

What is read per segment (posting lists, lengths, the vocabulary, facet
values and columns) is kept in a ``search.local.segments.SegmentCache``
that the next generation's ``Postings`` takes over (``carried``): a
generation made by a push reads only its new small segments.

``bm25`` scores a whole posting list in one vectorised expression, the
same arithmetic, in the same order, as ``whoosh.scoring.bm25``.
``phrase_docs`` tells which candidate documents hold terms side by side
from the positions kept with the postings, decoding only the candidates'.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from pickle import loads

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching import ListMatcher, WrappingMatcher
from whoosh.reading import TermNotFound
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from search.local.segments import SegmentCache, segment_key

CACHE_BYTES = 96 * 1024 * 1024
IDF_CACHED = 100_000
BYTES_OBJECT = 33 + 8   # a bytes object's own size, and the list's pointer to it
_BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


@dataclass(frozen=True)
class PostingList:
    """One term's postings: sorted ``docs``, their ``tf``, and their encoded ``positions`` (or None)."""

    docs: np.ndarray
    tf: np.ndarray
    positions: list | None = None

    @cached_property
    def nbytes(self) -> int:
        """What the cache holds for it: the arrays, and each encoded positions ``bytes`` object."""
        held = self.docs.nbytes + self.tf.nbytes
        return held + (sum(map(len, self.positions)) + BYTES_OBJECT * len(self.positions) if self.positions else 0)

    def positions_of(self, index: int) -> set[int]:
        """The positions of the term in the document at ``index`` (Whoosh's ``Positions`` encoding)."""
        deltas = loads(self.positions[index][_INT_SIZE:] + b".")
        found, position = set(), 0
        for delta in deltas:
            position += delta
            found.add(position)
        return found


EMPTY = PostingList(np.zeros(0, dtype=np.int32), np.zeros(0), [])


class Postings:
    """The postings and field lengths of one open Whoosh searcher, as arrays.

    ``k1`` and ``b`` are the BM25 parameters of ``search.ranking``; ``carried``, the
    ``SegmentCache`` of the previous generation's ``Postings``, whose segments this one shares.
    """

    def __init__(self, searcher, k1: float, b: float, cache_bytes: int = CACHE_BYTES,
                 carried: SegmentCache | None = None):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.k1, self.b = k1, b
        self.segments = list(self.reader.leaf_readers())
        self.keys = [segment_key(segment) for segment, _ in self.segments]
        self.kept = (carried or SegmentCache()).carried(self.keys)
        self.size = self.reader.doc_count_all()
        self.live = self._live_mask()
        self._norms: dict[str, np.ndarray] = {}
        self._idf: dict[tuple[str, str], float] = {}
        self._vocabularies: dict[str, dict[str, list[str]]] = {}
        self._cache: OrderedDict[tuple[str, str], PostingList] = OrderedDict()
        self._cached_bytes, self._cache_limit = 0, cache_bytes

    def _live_mask(self) -> np.ndarray:
        """``bool[size]``: True for every document not deleted."""
        live = np.ones(self.size, dtype=bool)
        for segment, offset in self.segments:
            if segment.has_deletions():
                live[offset + np.fromiter(segment.deleted_docs_set, dtype=np.int64)] = False
        return live

    # -- term postings -----------------------------------------------------

    def get(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """``(docs, tf)`` of ``term`` in ``field``: sorted live document numbers and their frequencies."""
        found = self.postings(field, term)
        return found.docs, found.tf

    def postings(self, field: str, term: str) -> PostingList:
        """The cached ``PostingList`` of ``term`` in ``field`` (read on first use)."""
        key = (field, term)
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        found = self._read(field, term, positions=True)
        self._cache[key] = found
        self._cached_bytes += found.nbytes
        while self._cached_bytes > self._cache_limit and len(self._cache) > 1:
            _, dropped = self._cache.popitem(last=False)
            self._cached_bytes -= dropped.nbytes
        return found

    def read(self, field: str, term) -> tuple[np.ndarray, np.ndarray]:
        """``(docs, tf)`` of ``term`` in ``field``, read now and not cached (facet values, one-off reads)."""
        found = self._read(field, term, positions=False)
        return found.docs, found.tf

    def _read(self, field: str, term, positions: bool) -> PostingList:
        """The live postings of ``term`` over the segments; with ``positions``, each segment's list comes
        from (or goes to) the posting lists kept across generations (``SegmentCache.posting_list``)."""
        parts = []
        for key, (segment, offset) in zip(self.keys, self.segments):
            if positions:
                found = self.kept.posting_list(key, (field, term), lambda: _segment_list(segment, field, term))
            else:
                found = _segment_list(segment, field, term)
            if found is not None:
                parts.append((found, offset))
        if not parts:
            return EMPTY
        if len(parts) == 1 and parts[0][1] == 0:   # the usual big first segment: its arrays as they are
            ids, tf, encoded = parts[0][0].docs, parts[0][0].tf, parts[0][0].positions
        else:
            ids = np.concatenate([p.docs + np.int32(offset) for p, offset in parts])
            tf = np.concatenate([p.tf for p, _ in parts])
            encoded = [v for p, _ in parts for v in p.positions] if all(p.positions for p, _ in parts) else None
        encoded = encoded if positions and encoded else None
        keep = self.live[ids]
        if keep.all():
            return PostingList(ids, tf, encoded)
        kept = [v for v, k in zip(encoded, keep) if k] if encoded is not None else None
        return PostingList(ids[keep], tf[keep], kept)

    def each_segment(self, name, compute) -> list[tuple[object, int]]:
        """``[(compute(segment), offset)]`` over the segments, each computed once for this searcher
        and the next generations' (``search.local.segments``): ``compute`` must not depend on deletions."""
        return [(self.kept.value(key, name, lambda: compute(segment)), offset)
                for key, (segment, offset) in zip(self.keys, self.segments)]

    def vocabulary(self, field: str) -> dict[str, list[str]]:
        """Every term of ``field`` by its first letter, without that letter: ``{"e": ["nercoop", …]}``.

        Read once per segment, on the first typo: close words are then found
        among the words sharing a first letter (as Whoosh's
        ``terms_within(prefix=1)``). A word of several segments is listed
        once per segment (a new generation does not merge the lists again);
        callers take the close words as a set.
        """
        if field not in self._vocabularies:
            parts = [part for part, _ in self.each_segment(("vocabulary", field), lambda s: _vocabulary(s, field))]
            if len(parts) == 1:
                self._vocabularies[field] = parts[0]
            else:
                merged: dict[str, list[str]] = {}
                for part in parts:
                    for initial, endings in part.items():
                        merged.setdefault(initial, []).extend(endings)
                self._vocabularies[field] = merged
        return self._vocabularies[field]

    # -- phrases -------------------------------------------------------------

    def phrase_docs(self, field: str, terms: tuple[str, ...], candidates: np.ndarray) -> np.ndarray:
        """The ``candidates`` where ``terms`` occur at consecutive positions of ``field``, sorted.

        Each candidate must hold every term (callers pass intersections).
        """
        candidates = np.unique(candidates)
        lists = [self.postings(field, t) for t in terms]
        if not len(candidates) or any(p.positions is None for p in lists):
            return np.zeros(0, dtype=np.int32)
        at = [np.searchsorted(p.docs, candidates) for p in lists]
        found = []
        for row, doc in enumerate(candidates.tolist()):
            starts = lists[0].positions_of(int(at[0][row]))
            for shift, (posting, where) in enumerate(zip(lists[1:], at[1:]), 1):
                starts &= {p - shift for p in posting.positions_of(int(where[row]))}
                if not starts:
                    break
            if starts:
                found.append(doc)
        return np.asarray(found, dtype=np.int32)

    # -- BM25 ----------------------------------------------------------------

    def idf(self, field: str, term: str) -> float:
        """Whoosh's idf: ``log(N / (df + 1)) + 1`` with deleted documents counted, as Whoosh does."""
        key = (field, term)
        if key not in self._idf:
            if len(self._idf) >= IDF_CACHED:  # a server runs for months: typo candidates add up
                self._idf.clear()
            self._idf[key] = math.log(self.size / (self.reader.doc_frequency(field, term) + 1)) + 1
        return self._idf[key]

    def norm(self, field: str) -> np.ndarray:
        """``float64[size]``: ``K1 × ((1 − B) + B × length / average length)`` per document."""
        if field not in self._norms:
            lengths = self._lengths(field)
            average = (self.reader.field_length(field) / (self.size or 1)) or 1
            self._norms[field] = self.k1 * ((1 - self.b) + self.b * lengths / average)
        return self._norms[field]

    def bm25(self, field: str, term: str, docs: np.ndarray, tf: np.ndarray) -> np.ndarray:
        """BM25 of ``term`` in ``field`` for each of ``docs`` (with their ``tf``), as Whoosh computes it."""
        return self.idf(field, term) * ((tf * (self.k1 + 1)) / (tf + self.norm(field)[docs]))

    def _lengths(self, field: str) -> np.ndarray:
        """``float64[size]``: the field length Whoosh scores each document with (0 when empty)."""
        lengths = np.zeros(self.size, dtype=np.float64)
        for part, offset in self.each_segment(("lengths", field), lambda s: _segment_lengths(s, field)):
            lengths[offset:offset + len(part)] = part
        return lengths


def _vocabulary(segment, field: str) -> dict[str, list[str]]:
    """The terms of ``field`` in one segment by first letter (``Postings.vocabulary``)."""
    by_initial: dict[str, list[str]] = {}
    if field in segment.indexed_field_names():
        for term in segment.field_terms(field):
            by_initial.setdefault(term[:1], []).append(term[1:])
    return by_initial


def _segment_lengths(segment, field: str) -> np.ndarray:
    """``float64[documents]``: the scored lengths of ``field`` in one segment (0 when empty)."""
    count = segment.doc_count_all()
    column = segment._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        return np.zeros(count, dtype=np.float64)
    return _BYTE_LENGTHS[_length_bytes(column, count)]


def _segment_list(segment, field: str, term) -> PostingList | None:
    """One segment's postings of ``term`` (local document numbers, deleted ones included), None without it."""
    try:
        matcher = segment.postings(field, term)
    except TermNotFound:
        return None
    ids, tf, encoded = _matcher_arrays(matcher)
    return PostingList(ids.astype(np.int32, copy=False), tf, encoded)


def segment_postings(segment, field: str, term) -> np.ndarray:
    """The local document numbers of ``term`` in ``field`` of one segment, its deleted documents included."""
    found = _segment_list(segment, field, term)
    return found.docs if found is not None else EMPTY.docs


def _length_bytes(column, count: int) -> np.ndarray:
    """The one-byte lengths of a Whoosh length column, for ``count`` documents."""
    stored = min(column._count, count)
    raw = np.frombuffer(column._dbfile.get(column._basepos, stored), dtype=np.uint8)
    if stored == count:
        return raw
    padded = np.full(count, column._default, dtype=np.uint8)
    padded[:stored] = raw
    return padded


def _matcher_arrays(matcher) -> tuple[np.ndarray, np.ndarray, list]:
    """``(ids, tf, encoded positions)`` of a segment's posting list, deleted documents included."""
    while isinstance(matcher, WrappingMatcher):  # FilterMatcher of deletions: the caller masks them
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher):
        return _block_arrays(matcher)
    if isinstance(matcher, ListMatcher):
        ids = np.asarray(matcher._ids, dtype=np.int64)
        if matcher._all_weights:
            tf = np.full(len(ids), float(matcher._all_weights))
        else:
            tf = np.asarray(matcher._weights, dtype=np.float64) if matcher._weights else np.ones(len(ids))
        return ids, tf, list(matcher._values or ())
    ids, tf, encoded = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        tf.append(matcher.weight())
        encoded.append(matcher.value())
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(tf, dtype=np.float64), encoded


def _block_arrays(matcher: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray, list]:
    """Every block of a Whoosh 3 posting list: id deltas; weights as a tuple, a float or None; positions."""
    ids, tf, encoded = [], [], []
    while True:
        matcher._read_data()
        deltas, weights, values = matcher._data
        count = matcher._blocklength
        ids.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        if weights is None:
            tf.append(np.ones(count))
        elif isinstance(weights, float):
            tf.append(np.full(count, weights))
        else:
            tf.append(np.asarray(weights, dtype=np.float64))
        if isinstance(values, tuple):
            encoded.extend(values)
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    return np.concatenate(ids), np.concatenate(tf), encoded
