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
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from indexer.schema import FACET_FIELDS
from search.counts import ordered_counts

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
            reader = self._postings.reader
            values = sorted(reader.field_terms(field)) if field in reader.indexed_field_names() else []
            docs, ordinals = [], []
            for ordinal, value in enumerate(values):
                found, _ = self._postings.read(field, value)
                docs.append(found)
                ordinals.append(np.full(len(found), ordinal, dtype=np.int32))
            self._fields[field] = (
                values,
                np.concatenate(docs) if docs else np.zeros(0, dtype=np.int32),
                np.concatenate(ordinals) if ordinals else np.zeros(0, dtype=np.int32),
            )
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
                private, _ = self._postings.read("private", True)
                visible[private] = False
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
