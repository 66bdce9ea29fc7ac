"""Facet filters and counts with arrays, read once per searcher.

For each facet field, every (document, value) pair of the index is read
once from the postings into two aligned arrays (``docs``, ``values``: the
value's ordinal), which serve both jobs:

- a filter is a boolean mask over documents, the OR of its values' pairs
  (cached per value set);
- the counts over a set of documents (a boolean mask) are one
  ``bincount`` of the ordinals of the pairs whose document is in the set,
  whatever the number of values; multi-valued fields (theme, territory)
  count a document under each of its values.

The private mask (documents a public caller may not see) is read the same
way, once, and applied before anything is scored or counted.

The pairs are read per segment and kept for the next generations
(``Postings.each_segment``): a generation only reads its new segments and
shifts each segment's pairs by its offset. Pairs of deleted documents stay
in (a delete changes no segment file); they never count, since filters and
counts always meet a mask of live documents (``visible``).
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from indexer.schema import FACET_FIELDS
from search.counts import ordered_counts
from search.local.postings import segment_postings

MASKS_CACHED = 256


class FacetArrays:
    """Per-value document pairs of the facet fields of one open index (``search.local.postings.Postings``)."""

    def __init__(self, postings):
        self._postings = postings
        self.size = postings.size
        self._fields: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}
        self._masks: OrderedDict[tuple[str, tuple[str, ...]], np.ndarray] = OrderedDict()
        self._visible: dict[bool, np.ndarray] = {}
        self._values: dict[bool, dict[str, frozenset[str]]] = {}

    def pairs(self, field: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        """``(values, docs, ordinals)``: the field's stored values and one (doc, ordinal) per pair."""
        if field not in self._fields:
            parts = self._postings.each_segment(("pairs", field), lambda segment: _segment_pairs(segment, field))
            values = sorted(set().union(*(part[0] for part, _ in parts)))
            ordinal_of = {value: ordinal for ordinal, value in enumerate(values)}
            docs, ordinals = [np.zeros(0, dtype=np.int32)], [np.zeros(0, dtype=np.int32)]
            for (names, local_docs, local_ordinals), offset in parts:
                ordinals_here = np.fromiter((ordinal_of[name] for name in names), dtype=np.int32, count=len(names))
                docs.append(local_docs + np.int32(offset))
                ordinals.append(ordinals_here[local_ordinals])
            self._fields[field] = (values, np.concatenate(docs), np.concatenate(ordinals))
        return self._fields[field]

    def mask(self, field: str, values: tuple[str, ...]) -> np.ndarray:
        """``bool[size]``: the documents carrying one of ``values`` in ``field``."""
        key = (field, tuple(sorted(values)))
        found = self._masks.get(key)
        if found is None:
            names, docs, ordinals = self.pairs(field)
            chosen = set(values)
            wanted = [i for i, name in enumerate(names) if name in chosen]
            found = np.zeros(self.size, dtype=bool)
            found[docs[np.isin(ordinals, wanted)]] = True
            self._masks[key] = found
            if len(self._masks) > MASKS_CACHED:
                self._masks.popitem(last=False)
        else:
            self._masks.move_to_end(key)
        return found

    def visible(self, include_private: bool) -> np.ndarray:
        """``bool[size]``: every live document the caller may see, computed once per searcher."""
        if include_private not in self._visible:
            visible = self._postings.live.copy()
            if not include_private:
                for private, offset in self._postings.each_segment("private", _segment_private):
                    visible[private + offset] = False
            visible.flags.writeable = False
            self._visible[include_private] = visible
        return self._visible[include_private]

    def visible_values(self, field: str, include_private: bool) -> frozenset[str]:
        """The values of ``field`` at least one document the caller may see carries."""
        known = self._values.setdefault(include_private, {})
        if field not in known:
            known[field] = frozenset(self.counts(self.visible(include_private), (field,))[field])
        return known[field]

    def counts(self, docs: np.ndarray, fields=FACET_FIELDS) -> dict[str, dict[str, int]]:
        """``{facet: {value: count}}`` over the documents of mask ``docs``: years newest first,
        other values by count, largest first, then by name; values counted 0 left out."""
        result = {}
        for field in fields:
            names, pair_docs, ordinals = self.pairs(field)
            counted = np.bincount(ordinals[docs[pair_docs]], minlength=len(names))
            result[field] = ordered_counts(field, ((names[i], int(counted[i])) for i in np.flatnonzero(counted)))
        return result


def _segment_pairs(segment, field: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """``(values, docs, ordinals)`` of ``field`` in one segment: local document numbers, deleted ones included."""
    values = sorted(segment.field_terms(field)) if field in segment.indexed_field_names() else []
    docs = [segment_postings(segment, field, value) for value in values]
    ordinals = [np.full(len(found), ordinal, dtype=np.int32) for ordinal, found in enumerate(docs)]
    return (
        values,
        np.concatenate(docs) if docs else np.zeros(0, dtype=np.int32),
        np.concatenate(ordinals) if ordinals else np.zeros(0, dtype=np.int32),
    )


def _segment_private(segment) -> np.ndarray:
    """The local numbers of one segment's private documents, deleted ones included."""
    return segment_postings(segment, "private", True)
