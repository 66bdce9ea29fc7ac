"""A few search backends for the whole server, each used by one request at a time.

Why a pool rather than one searcher or one per thread: a Whoosh searcher
is not documented as thread-safe (its readers share file handles and
caches), and the Searcher fills its caches lazily (posting arrays, facet
masks, views), so one searcher serves one request at a time. With a single
one, a slow search held every other request behind it (issue 22: 40 costly
queries took ordinary ones from 7 ms to 1.2 s). ``SEARCHERS`` searchers
let that many requests search at once; a slow one then shares the process
with the others instead of blocking them (the GIL switches between
threads every few milliseconds, and numpy releases it). A request takes
the searcher used most recently (warm caches); the others are opened only
when requests overlap, each with its own caches. Endpoints run in the
worker thread pool, so the event loop keeps accepting connections and
answering 429 meanwhile. To use more cores, run more processes
(``rtes-search serve --workers N``).

The index may be missing when the server starts (503 until it is built) and
may be rebuilt while it runs: every use first checks, with one ``readlink``,
whether a newer generation is current. Pushed documents make a new
generation about once a second, and the first search of a generation reads
its facet and date columns again (0.3 s at 101,194 documents). Moving an
idle searcher ahead of the requests was tried and measured worse: a request
arriving meanwhile took another searcher, cold. A cluster address instead of a
folder opens a ``search.cluster.ClusterSearcher`` (``search.open_searcher``);
its check is one read of the alias.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from search import SearchBackend, open_searcher
from search.budget import DEFAULT_BUDGET

SEARCHERS = 3


class SharedSearcher:
    """Open searchers lazily, refresh them cheaply, and lend each to one request at a time."""

    def __init__(self, index_dir: Path | str, size: int = SEARCHERS, time_budget: float | None = DEFAULT_BUDGET):
        self.index_dir, self.time_budget = index_dir, time_budget
        self._free: queue.LifoQueue[SearchBackend | None] = queue.LifoQueue()
        for _ in range(size):
            self._free.put(None)  # not opened yet
        self._size = size

    @contextmanager
    def use(self) -> Iterator[SearchBackend]:
        """An up-to-date searcher, held exclusively; raises ``IndexNotFoundError`` without index."""
        searcher = self._free.get()
        try:
            if searcher is None:
                searcher = open_searcher(self.index_dir, self.time_budget)
            else:
                searcher.refresh()
            yield searcher
        finally:
            self._free.put(searcher)

    def close(self) -> None:
        """Close every opened searcher (at shutdown: waits for those in use)."""
        for _ in range(self._size):
            searcher = self._free.get()
            if searcher is not None:
                searcher.close()
        for _ in range(self._size):
            self._free.put(None)
