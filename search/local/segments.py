"""What a searcher reads from each Whoosh segment, kept from one generation to the next.

A pushed document makes a new generation about once a second: the previous
one's files hard-linked, plus one small new segment (Whoosh never rewrites a
segment file; deletions live in the table of contents, and its merge policy
merges only small segments). Re-reading the facet values, date columns and
vocabulary of the whole index for each generation cost the first search of
each one 0.2 to 0.3 s at 101,194 documents (docs/writing.md, "Speed"). So
what is read from a segment is kept under the segment's identity, its id and
document count, and a new generation reads only its new segments.

What is kept here never depends on deletions: a segment's arrays hold its
deleted documents too, and each generation leaves them out with its own
live mask (``search.local.postings.Postings.live``), as Lucene's
per-segment readers do with their live documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

SegmentKey = tuple[str, int]


def segment_key(segment) -> SegmentKey:
    """The identity of a Whoosh segment reader's segment: its random id and its document count."""
    return segment.segment().segment_id(), segment.doc_count_all()


class SegmentCache:
    """Values computed from segments, by segment and name; ``carried`` keeps those of a new generation."""

    def __init__(self, entries: dict[SegmentKey, dict[Any, Any]] | None = None):
        self._entries: dict[SegmentKey, dict[Any, Any]] = entries or {}

    def value(self, segment, name, compute: Callable[[Any], Any]):
        """``compute(segment)``, computed once for this segment (whichever generation reads it)."""
        kept = self._entries.setdefault(segment_key(segment), {})
        if name not in kept:
            kept[name] = compute(segment)
        return kept[name]

    def carried(self, segments: Iterable) -> "SegmentCache":
        """A cache for a generation made of ``segments``: what is known of those, nothing of the others
        (a merged-away segment's arrays are let go)."""
        keys = {segment_key(s) for s in segments}
        return SegmentCache({key: kept for key, kept in self._entries.items() if key in keys})
