"""Facet counts and filters from per-value document sets.

For each facet value the set of documents that carry it is read once from
the postings and cached for the life of the searcher; filtering is an
intersection of the selected values' sets. Counting takes the cheaper of
two ways, so that it never costs hits × facet values: a hit set smaller
than a third of the index is counted document by document from a forward
map (docnum → its facet values), in time linear in the hits; a larger one
is intersected with each value's set, in time bounded by the facet
postings. Multi-valued fields (theme, territory) count a document under
every value.
"""

from __future__ import annotations

import re

from collections import Counter
from itertools import chain

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
        self._forward: list[tuple[tuple[str, str], ...]] | None = None

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
                for stored in _stored_values(field, value, sets):
                    selected |= sets[stored]
            docs = docs & selected
        return docs

    def counts(self, docs: frozenset[int] | set[int]) -> dict[str, dict[str, int]]:
        """``{facet: {value: count}}`` over ``docs``, largest counts first."""
        if len(docs) * 3 < len(self._all):
            counted = Counter(chain.from_iterable(map(self.forward().__getitem__, docs)))
        else:
            counted = Counter({
                (field, value): len(members & docs)
                for field in FACET_FIELDS for value, members in self.value_sets(field).items()
            })
        result: dict[str, dict[str, int]] = {field: {} for field in FACET_FIELDS}
        for (field, value), count in sorted(counted.items(), key=_facet_order):
            if count:
                result[field][value] = count
        return result

    def forward(self) -> list[tuple[tuple[str, str], ...]]:
        """For each docnum, its ``(facet, value)`` pairs: the value sets inverted, once."""
        if self._forward is None:
            pairs: list[list[tuple[str, str]]] = [[] for _ in range(self._searcher.reader().doc_count_all())]
            for field in FACET_FIELDS:
                for value, members in self.value_sets(field).items():
                    for docnum in members:
                        pairs[docnum].append((field, value))
            self._forward = [tuple(p) for p in pairs]
        return self._forward


YEAR_RANGE = re.compile(r"(\d{4})?\.\.(\d{4})?")


def _facet_order(item) -> tuple:
    """Years newest first; other values by count, largest first, then by name."""
    (field, value), count = item
    return (field == "year", -int(value) if field == "year" and value.isdigit() else -count, value)


def _stored_values(field: str, value: str, sets: dict) -> list[str]:
    """The stored values a filter value selects: itself; a year range ``2017..2019``
    (either end may be left out); a territory's code or plain name."""
    if value in sets:
        return [value]
    if field == "year" and (span := YEAR_RANGE.fullmatch(value)):
        low, high = int(span[1] or 0), int(span[2] or 9999)
        return [year for year in sets if year.isdigit() and low <= int(year) <= high]
    if field == "territory":
        label = _territory_label(value)
        return [label] if label in sets else []
    return []


def _territory_label(value: str) -> str:
    """A code or plain name as the stored label: ``59`` → ``Nord (59)``, ``lille`` → ``Lille (59)``.

    The territory table is loaded only for a value that is not a label already.
    """
    from indexer.metadata import resolve_territory

    return resolve_territory(value) or value


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
