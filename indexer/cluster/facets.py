"""How many documents carry each facet value, kept by the writer in the collection's manifest.

Typesense 0.24 returns facet values slowly when there are many of them
(measured on the 101,194 law articles: the 2,703 territories of every
document took 8.8 s, 100 of them 42 ms; it fetches a whole document for
each value it names). Yet the planner needs every value a caller may see
(to resolve ``--territory lille``), and ``facets`` and ``stats`` list them
all. The writer sees every document it writes, so it counts them: after a
rebuild, over the documents written; after an update, from the counts of
the previous state (read with the known documents) plus what was added,
minus what was replaced or deleted. ``public`` counts the documents
without ``private``, ``all`` every document.
"""

from __future__ import annotations

from collections import Counter

from indexer.schema import FACET_FIELDS

FIELDS = (*FACET_FIELDS, "private")


def carried(document: dict) -> tuple[bool, tuple[tuple[str, str], ...]]:
    """``(private, ((facet, value), …))`` of a Typesense document (``to_cluster``'s, or exported)."""
    pairs = []
    for field in FACET_FIELDS:
        value = document.get(field)
        for one in (value if isinstance(value, list) else [value] if value else []):
            pairs.append((field, one))
    return bool(document.get("private")), tuple(pairs)


class FacetCounts:
    """Documents per (facet, value), for everyone (``all``) and without the private ones (``public``)."""

    def __init__(self):
        self.all: Counter[tuple[str, str]] = Counter()
        self.public: Counter[tuple[str, str]] = Counter()

    def count(self, facets: tuple[bool, tuple], sign: int = 1) -> None:
        private, pairs = facets
        for pair in pairs:
            self.all[pair] += sign
            if not private:
                self.public[pair] += sign

    def to_dict(self) -> dict:
        """``{"all": {facet: {value: n}}, "public": {…}}``, values counted 0 left out (for the manifest)."""
        return {name: {field: {value: n for (f, value), n in counter.items() if f == field and n > 0}
                       for field in FACET_FIELDS}
                for name, counter in (("all", self.all), ("public", self.public))}
