"""Each document's rank in date order, for sorting newest first (``Searcher.date_keys``).

A document's date is its resource's date, else when it was first indexed.
Both columns are read once per segment (a Python loop over its documents,
0.17 s at 101,194) and kept for the next generations
(``search.local.segments``); a generation only ranks the distinct dates of
its segments and maps each segment's documents through them.
"""

from __future__ import annotations

import numpy as np

# Newest first: the resource's date, else when it was first indexed.
DATE_FIELDS = ("date", "indexed_at")


def date_keys(postings) -> np.ndarray:
    """``int64[size]``: each document's rank among the dates of the index (-1: no date at all).

    Deleted documents are ranked too; only the order of the ranks matters.
    """
    parts = postings.each_segment("dates", _segment_dates)
    dates = sorted(set().union(*(set(values) for (values, _), _ in parts)) - {""})
    rank_of = {value: rank for rank, value in enumerate(dates)}
    keys = np.full(postings.size, -1, dtype=np.int64)
    for (values, which), offset in parts:
        ranks = np.fromiter((rank_of.get(value, -1) for value in values), dtype=np.int64, count=len(values))
        keys[offset:offset + len(which)] = ranks[which]
    return keys


def _segment_dates(segment) -> tuple[list[str], np.ndarray]:
    """``(values, which)``: one segment's distinct dates and, per document, the index of its own."""
    columns = [list(segment.column_reader(name)) if segment.has_column(name) else None for name in DATE_FIELDS]
    dates = [next((c[doc] for c in columns if c is not None and c[doc]), "") for doc in range(segment.doc_count_all())]
    values = sorted(set(dates))
    index_of = {value: i for i, value in enumerate(values)}
    return values, np.fromiter((index_of[d] for d in dates), dtype=np.int64, count=len(dates))
