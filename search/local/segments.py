"""What a searcher reads from each Whoosh segment, kept from one generation to the next.

A pushed document makes a new generation about once a second: the previous
one's files hard-linked, plus one small new segment (Whoosh never rewrites a
segment file; deletions live in the table of contents, and its merge policy
merges only small segments). Re-reading the facet values, date columns and
vocabulary of the whole index for each generation cost the first search of
each one 0.2 to 0.3 s at 101,194 documents (docs/writing.md, "Speed"). So
what is read from a segment is kept under the segment's identity
(``segment_key``), and a new generation reads only its new segments.

What is kept here never depends on deletions: a segment's arrays hold its
deleted documents too, and each generation leaves them out with its own
live mask (``search.local.postings.Postings.live``), as Lucene's
per-segment readers do with their live documents.

Two kinds of values: those read once per segment (facet pairs, columns,
vocabulary: ``value``), kept while the segment is in the index, and the
posting lists of the terms searched (``posting_list``), kept in an LRU
bounded in bytes (the arrays' ``nbytes``).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

SegmentKey = tuple[str, int, int, int]
LISTS_BYTES = 96 * 1024 * 1024
ENTRY_BYTES = 200   # what an entry costs beside its arrays (its key, the LRU's links): absent terms count too


def segment_key(segment) -> SegmentKey:
    """The identity of a Whoosh segment reader's segment: its random id, its document count, and the
    inode and modification time of its terms file. Hard links keep all four from one generation to the
    next; the file's also tell apart two rebuilds that drew the same id (a process forked for each
    rebuild starts from its parent's random state)."""
    info = os.stat(os.path.join(segment.storage().folder, segment.segment().make_filename(".trm")))
    return segment.segment().segment_id(), segment.doc_count_all(), info.st_ino, info.st_mtime_ns


class SegmentCache:
    """Values computed from segments, by segment and name; ``carried`` keeps those of a new generation."""

    def __init__(self, entries: dict[SegmentKey, dict[Any, Any]] | None = None,
                 lists: OrderedDict | None = None, lists_bytes: int = LISTS_BYTES):
        self._entries: dict[SegmentKey, dict[Any, Any]] = entries or {}
        self._lists: OrderedDict[tuple[SegmentKey, Any], Any] = lists or OrderedDict()
        self._lists_bytes, self._lists_limit = sum(map(_cost, self._lists.values())), lists_bytes

    def value(self, segment: SegmentKey, name, compute: Callable[[], Any]):
        """``compute()``, computed once for the segment ``segment`` (whichever generation reads it)."""
        kept = self._entries.setdefault(segment, {})
        if name not in kept:
            kept[name] = compute()
        return kept[name]

    def posting_list(self, segment: SegmentKey, name, read: Callable[[], Any]):
        """``read()`` (an object with ``nbytes``, or None) of the segment ``segment``, kept in the LRU of
        posting lists."""
        key = (segment, name)
        if key in self._lists:
            self._lists.move_to_end(key)
            return self._lists[key]
        found = self._lists[key] = read()
        self._lists_bytes += _cost(found)
        while self._lists_bytes > self._lists_limit and len(self._lists) > 1:
            _, dropped = self._lists.popitem(last=False)
            self._lists_bytes -= _cost(dropped)
        return found

    def carried(self, segments: Iterable[SegmentKey]) -> "SegmentCache":
        """A cache for a generation made of ``segments``: what is known of those, nothing of the others
        (a merged-away segment's arrays are let go)."""
        keys = set(segments)
        return SegmentCache(
            {key: kept for key, kept in self._entries.items() if key in keys},
            OrderedDict((key, found) for key, found in self._lists.items() if key[0] in keys),
            self._lists_limit,
        )


def _cost(found) -> int:
    return ENTRY_BYTES + (found.nbytes if found is not None else 0)
