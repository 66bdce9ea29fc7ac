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

Sharing the GIL was not enough against a client sending a costly query
(``search.plan.costly``: ``a* b* … z*``) one after another: it took a
third of the server's time, and the other clients' p95 went from 88 to
135 ms. Such a search runs apart (``search.http.apart``: another process,
at a lower priority, one at a time) without taking a pooled searcher: what
``use`` lends takes one only when a call needs it.

The index may be missing when the server starts (503 until it is built) and
may be rebuilt while it runs: every use first checks, with one ``readlink``,
whether a newer generation is current. Pushed documents make a new
generation about once a second; its first search reads only what the new
segment adds (``search.local.segments`` keeps the rest across generations:
at 101,194 documents, 21-25 ms of CPU instead of 205 ms). Moving an
idle searcher ahead of the requests was tried and measured worse: a request
arriving meanwhile took another searcher, cold. A cluster address instead of a
folder opens a ``search.cluster.ClusterSearcher`` (``search.open_searcher``);
its check is two small reads: the alias, and the revision the write API
bumps (``indexer.cluster.push``).
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from search import SearchBackend, open_searcher
from search.budget import DEFAULT_BUDGET
from search.http.apart import Apart
from search.plan import costly
from search.results import Results

SEARCHERS = 3


class SharedSearcher:
    """Open searchers lazily, refresh them cheaply, and lend each to one request at a time."""

    def __init__(self, index_dir: Path | str, size: int = SEARCHERS, time_budget: float | None = DEFAULT_BUDGET):
        self.index_dir, self.time_budget = index_dir, time_budget
        self._free: queue.LifoQueue[SearchBackend | None] = queue.LifoQueue()
        for _ in range(size):
            self._free.put(None)  # not opened yet
        self._size = size
        self._apart = Apart(index_dir, time_budget)

    @contextmanager
    def use(self) -> Iterator[Lent]:
        """A searcher for one request: its calls go to an up-to-date searcher held exclusively (taken
        at the first call; ``IndexNotFoundError`` without index), a costly search apart."""
        lent = Lent(self)
        try:
            yield lent
        finally:
            lent.give_back()

    def take(self) -> SearchBackend:
        """A pooled searcher, opened or refreshed; ``give`` it back."""
        searcher = self._free.get()
        try:
            if searcher is None:
                return open_searcher(self.index_dir, self.time_budget)
            searcher.refresh()
            return searcher
        except BaseException:
            self._free.put(searcher)
            raise

    def give(self, searcher: SearchBackend) -> None:
        self._free.put(searcher)

    def search_apart(self, query: str, **arguments) -> Results | None:
        """``search`` in the process apart; None when too many costly searches already wait there."""
        return self._apart.search(query=query, **arguments)

    def close(self) -> None:
        """Close every opened searcher and the process apart (at shutdown: waits for those in use)."""
        self._apart.close()
        for _ in range(self._size):
            searcher = self._free.get()
            if searcher is not None:
                searcher.close()
        for _ in range(self._size):
            self._free.put(None)


class Lent:
    """What ``SharedSearcher.use`` lends: the calls of one request, to one pooled searcher taken at the
    first call; a costly ``search`` (``search.plan.costly``) goes apart and takes none."""

    def __init__(self, shared: SharedSearcher):
        self._shared = shared
        self._searcher: SearchBackend | None = None

    def search(self, query: str, **arguments) -> Results:
        if costly(query):
            results = self._shared.search_apart(query, **arguments)
            if results is not None:
                return results
        return self._held().search(query, **arguments)

    def __getattr__(self, name: str):
        return getattr(self._held(), name)

    def _held(self) -> SearchBackend:
        if self._searcher is None:
            self._searcher = self._shared.take()
        return self._searcher

    def give_back(self) -> None:
        if self._searcher is not None:
            self._shared.give(self._searcher)
            self._searcher = None
