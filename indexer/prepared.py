"""Documents analysed ahead of the Whoosh writer, a batch at a time.

``SegmentWriter.add_document`` analyses each field, then hands postings to
its pool and stored values, lengths and columns to its per-document writer.
``Preparer.prepare`` does the first half for a batch of documents (with a
``WordCache`` per analyzer: each distinct word analysed once) and returns
it already inverted: per field, per term, the document numbers, weights and
encoded positions of the batch. The writer (``indexer.segment``) then
merges a batch into its posting lists with one step per term rather than
one per posting, and the batch crosses a pipe as a few arrays
(``indexer.pipeline``). An index written this way holds the same terms,
postings, lengths, stored fields and columns as one written with
``add_document`` (``tests/test_prepared.py``).
"""

from __future__ import annotations

from array import array
from pickle import dumps
from typing import NamedTuple

from whoosh.analysis import CompositeAnalyzer, IDTokenizer, RegexTokenizer
from whoosh.formats import Existence, Positions
from whoosh.system import pack_uint

from indexer.analysis.cache import WordCache
from indexer.schema import WORDS_FIELD, WORDS_PARTS

OTHER_VALUES = 50_000  # distinct (field, value) pairs of non-text fields remembered
SHORT, ENCODED_LISTS = 3, 200_000  # position lists of up to SHORT positions are remembered, so many


class FieldPostings(NamedTuple):
    """One field's postings in a batch, term after term, as a few flat values.

    They cross a pipe: pickle copies arrays' bytes and a list of byte
    strings in C, where a list (or array) per term would cost a Python-level
    rebuild each. Term ``i`` owns ``counts[i]`` postings from the running
    offset in ``ids``, ``weights`` and ``values``.
    """

    terms: list  # term bytes
    counts: bytes  # array("I") bytes: postings of each term
    ids: bytes  # array("I") bytes: document numbers
    weights: bytes  # array("f") bytes
    values: list  # encoded values (positions)


def _flatten(terms: dict) -> FieldPostings:
    counts, ids, weights, values = array("I"), array("I"), array("f"), []
    for term_ids, term_weights, term_values in terms.values():
        counts.append(len(term_ids))
        ids.extend(term_ids)
        weights.extend(term_weights)
        values += term_values
    return FieldPostings(list(terms), counts.tobytes(), ids.tobytes(), weights.tobytes(), values)


def encode_positions(positions: list[int]) -> bytes:
    """``Positions.encode``: the count, then the pickled gaps between positions.

    >>> from whoosh.formats import Positions
    >>> encode_positions([3, 7, 20]) == Positions().encode([3, 7, 20])
    True
    """
    gaps = [positions[0]]
    gaps += [b - a for a, b in zip(positions, positions[1:])]
    return pack_uint(len(gaps)) + dumps(gaps, 2)


class PreparedBatch(NamedTuple):
    """Documents ``first``, ``first + 1``, … analysed: what the writer adds to its posting lists
    and per-document files."""

    first: int
    postings: dict  # field name → FieldPostings
    documents: list  # per document: [(field name, stored value or None, length, column value or None)], by name


def _cacheable(field) -> bool:
    """A positions-only text field whose analyzer starts with a regex tokenizer."""
    analyzer = field.analyzer if field.indexed else None
    return (
        type(field.format) is Positions and isinstance(analyzer, CompositeAnalyzer)
        and isinstance(analyzer.items[0], RegexTokenizer) and not analyzer.items[0].gaps
    )


def _add(terms: dict, term: bytes, docnum: int, weight: float, vbytes: bytes) -> None:
    postings = terms.get(term)
    if postings is None:
        terms[term] = [[docnum], [weight], [vbytes]]
    else:
        postings[0].append(docnum)
        postings[1].append(weight)
        postings[2].append(vbytes)


class Preparer:
    """Analyse documents for ``schema``, with one word cache per analyzer."""

    def __init__(self, schema, parts: dict | None = None):
        """``parts``: a field whose value is other fields joined by newlines → those fields
        (``indexer.schema.WORDS_PARTS`` for ``words``), so that their words are split once."""
        self.schema = schema
        self._parts = {WORDS_FIELD: WORDS_PARTS} if parts is None else parts
        self._fields: dict = {}
        self._split: dict[str, list[str]] = {}
        # Positions → their encoding, for the short lists that repeat (most terms occur
        # once or twice in a field): a dict lookup instead of a pickle.
        self._encoded: dict = {}
        self._other: dict[tuple, tuple[int, list]] = {}  # (field, value) → postings of a non-text field
        self._caches: dict[int, WordCache] = {}
        # Fields whose one term is the value itself (an id: no analysis, one term, no positions).
        self._verbatim = {
            name for name in schema.names()
            if type(schema[name].format) is Existence and type(schema[name].analyzer) is IDTokenizer
        }
        for name in schema.names():
            field = schema[name]
            if field.separate_spelling() or field.vector:
                raise ValueError(f"field {name!r}: spelling or vector fields are not supported here")
            if _cacheable(field) and id(field.analyzer) not in self._caches:
                self._caches[id(field.analyzer)] = WordCache(field.analyzer)
        patterns = {cache.analyzer.items[0].expression.pattern for cache in self._caches.values()}
        self._shared_split = len(patterns) == 1  # one tokenizer for every text field: split each text once
        self._splitter = next(iter(self._caches.values())).split if self._caches else None

    def prepare(self, batch: list[dict], first: int) -> PreparedBatch:
        """What ``add_document(**fields)`` computes before writing, for each of ``batch``
        (no ``_boost`` keys), numbered from ``first``."""
        schema, postings, documents = self.schema, {}, []
        for docnum, fields in enumerate(batch, first):
            perdoc, self._split, self._fields = [], {}, fields
            for name in sorted(fields):
                value = fields[name]
                if value is None:
                    continue
                field, length = schema[name], 0
                if field.indexed:
                    terms = postings.get(name)
                    if terms is None:
                        terms = postings[name] = {}
                    length = self._index(name, field, value, docnum, terms)
                column = field.to_column_value(value) if field.column_type else None
                perdoc.append((name, value if field.stored else None, length, column))
            documents.append(perdoc)
        return PreparedBatch(first, {name: _flatten(terms) for name, terms in postings.items()}, documents)

    def _index(self, name: str, field, value, docnum: int, terms: dict) -> int:
        """Add the postings of one field value to ``terms``; its length (0 if not scorable)."""
        cache = self._caches.get(id(field.analyzer)) if isinstance(value, str) else None
        if cache is None:
            length, items = self._other_items(name, field, value)
            for term, weight, vbytes in items:
                _add(terms, term, docnum, weight, vbytes)
            return length
        boost, encoded, length = field.format.field_boost, self._encoded, 0
        for term, poses in self._positions(name, cache, value).items():
            count = len(poses)
            if count > SHORT:
                vbytes = encode_positions(poses)
            else:
                key = poses[0] if count == 1 else tuple(poses)
                vbytes = encoded.get(key)
                if vbytes is None:
                    vbytes = encode_positions(poses)
                    if len(encoded) < ENCODED_LISTS:
                        encoded[key] = vbytes
            length += count
            postings = terms.get(term)  # _add, inlined: this runs for every posting
            if postings is None:
                terms[term] = [[docnum], [float(count) * boost], [vbytes]]
            else:
                postings[0].append(docnum)
                postings[1].append(float(count) * boost)
                postings[2].append(vbytes)
        return length if field.scorable else 0

    def _positions(self, name: str, cache: WordCache, value: str) -> dict[bytes, list[int]]:
        """The positions of each term of ``value``; a text is split into words once for all
        fields (``words`` is made of the others: ``WORDS_PARTS``)."""
        if self._shared_split:
            parts = self._parts.get(name, ())
            texts = [self._fields.get(part) or "" for part in parts]
            if not parts or value != "\n".join(texts):
                texts = [value]
            return cache.positions(texts, [self._split_once(text) for text in texts])
        return cache.positions([value])

    def _split_once(self, text: str) -> list[str]:
        words = self._split.get(text)
        if words is None:
            words = self._split[text] = self._splitter(text)
        return words

    def _other_items(self, name: str, field, value) -> tuple[int, list]:
        """Keywords, ids, booleans: through the field itself, remembered for values that repeat."""
        if name in self._verbatim and isinstance(value, str):
            return 0, [(value.encode("utf-8"), field.format.field_boost, b"")]
        key = (name, value) if isinstance(value, (str, bool)) else None
        known = self._other.get(key) if key else None
        if known is None:
            found = list(field.index(value))
            length = sum(freq for _, freq, _, _ in found) if field.scorable else 0
            known = (length, [(tbytes, weight, vbytes) for tbytes, _, weight, vbytes in found])
            if key and len(self._other) < OTHER_VALUES:
                self._other[key] = known
        return known
