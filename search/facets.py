"""Facet counts and filters from per-value document sets.

For each facet value the set of documents that carry it is read once from
the postings and cached for the life of the searcher. Counting is then an
intersection of each value's set with the hit set, and filtering an
intersection of the selected values' sets, whatever the number of hits.
Multi-valued fields (theme, territory) count a document under every value.
"""

from __future__ import annotations

from whoosh.query import Term

from indexer.schema import FACET_FIELDS
from search.errors import InvalidFilterError


class FacetIndex:
    """Per-value document sets of the facet fields, for one open searcher."""

    def __init__(self, searcher):
        self._searcher = searcher
        self._sets: dict[str, dict[str, frozenset[int]]] = {}
        self._private: frozenset[int] | None = None
        self._all = frozenset(searcher.reader().all_doc_ids())
        self._visible: dict[bool, frozenset[int]] = {}

    def value_sets(self, field: str) -> dict[str, frozenset[int]]:
        """``{value: docnums}`` for ``field``, read from the postings once."""
        if field not in self._sets:
            reader = self._searcher.reader()
            self._sets[field] = {
                value: frozenset(reader.postings(field, value).all_ids())
                for value in reader.field_terms(field)
            } if field in reader.indexed_field_names() else {}
        return self._sets[field]

    def private_docs(self) -> frozenset[int]:
        if self._private is None:
            self._private = frozenset(self._searcher.docs_for_query(Term("private", True)))
        return self._private

    def visible_docs(self, include_private: bool) -> frozenset[int]:
        """Every document the caller may see, computed once per searcher (not per query)."""
        if include_private not in self._visible:
            self._visible[include_private] = self._all if include_private else self._all - self.private_docs()
        return self._visible[include_private]

    def allowed(self, filters: dict[str, tuple[str, ...]], include_private: bool) -> frozenset[int]:
        """Documents the caller may see that pass every filter (values of one facet OR-ed)."""
        docs = self.visible_docs(include_private)
        for field, values in filters.items():
            sets = self.value_sets(field)
            selected: set[int] = set()
            for value in values:
                selected |= sets.get(value, frozenset())
            docs = docs & selected
        return docs

    def counts(self, docs: frozenset[int] | set[int]) -> dict[str, dict[str, int]]:
        """``{facet: {value: count}}`` over ``docs``, largest counts first."""
        result = {}
        for field in FACET_FIELDS:
            counted = ((value, len(members & docs)) for value, members in self.value_sets(field).items())
            nonzero = [(v, n) for v, n in counted if n]
            nonzero.sort(key=lambda vn: (-vn[1], vn[0]))
            result[field] = dict(nonzero)
        return result


def normalise_filters(filters: dict | None) -> dict[str, tuple[str, ...]]:
    """Check facet names and turn each value into a tuple of non-empty strings."""
    clean: dict[str, tuple[str, ...]] = {}
    for field, value in (filters or {}).items():
        if field not in FACET_FIELDS:
            raise InvalidFilterError(
                f"filtre inconnu : {field!r} (filtres possibles : {', '.join(FACET_FIELDS)})"
            )
        values = (value,) if isinstance(value, (str, int)) else tuple(value or ())
        values = tuple(str(v).strip() for v in values if str(v).strip())
        if values:
            clean[field] = values
    return clean
