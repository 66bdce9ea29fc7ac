"""Key terms of a resource for ``similar``, by Whoosh's own Bo1 expander over the cluster's statistics.

``search.similar`` asks a searcher for ``key_terms_from_text``; locally
Whoosh answers it from the index. Here the same ``whoosh.classify``
expander runs over a reader that answers from the collection's
statistics (``search.cluster.statistics``), with one difference: Bo1
weighs a term by its number of occurrences in the collection, which
Typesense does not give; the number of documents holding it stands in
for it (equal for a term found once per document, lower otherwise, so a
frequent term weighs a little more than locally).
"""

from __future__ import annotations

from whoosh.classify import Bo1Model, Expander

from indexer.schema import SCHEMA


class _StatisticsReader:
    """The part of a Whoosh index reader the expander reads: sizes and term frequencies."""

    schema = SCHEMA

    def __init__(self, statistics):
        self._statistics = statistics

    def doc_count_all(self) -> int:
        return self._statistics.size

    def field_length(self, field: str) -> float:
        return self._statistics.totals[field]

    def frequency(self, field: str, text) -> int:
        word = text.decode("utf-8") if isinstance(text, bytes) else text
        return self._statistics.frequency(field, word)

    def __contains__(self, key) -> bool:
        return self.frequency(*key) > 0


class ClusterKeyTerms:
    """``key_terms_from_text`` as a Whoosh searcher has it, for ``search.similar.similar_query``."""

    def __init__(self, statistics):
        self._statistics = statistics
        self._reader = _StatisticsReader(statistics)

    def key_terms_from_text(self, fieldname: str, text: str, numterms: int = 5, normalize: bool = True):
        expander = Expander(self._reader, fieldname, model=Bo1Model)
        expander.add_text(text)
        self._statistics.prefetch((fieldname, word) for word in expander.topN_weight)
        return expander.expanded_terms(numterms, normalize=normalize)
