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
its facet and date columns again (tens of milliseconds at 15,000
documents): for a local index, a thread (``start``) looks every
``FRESHEN_EVERY`` seconds and moves the searcher used last to the new
generation with a browse search, so that requests rarely pay it. A cluster address instead of a
folder opens a ``search.cluster.ClusterSearcher`` (``search.open_searcher``);
its check is one read of the alias.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from search import SearchBackend, SearchError, open_searcher
from search.backend import is_cluster
from search.budget import DEFAULT_BUDGET

SEARCHERS = 3
FRESHEN_EVERY = 0.2   # seconds between two looks for a new generation
log = logging.getLogger("rtes-search.http")


class SharedSearcher:
    """Open searchers lazily, refresh them cheaply, and lend each to one request at a time."""

    def __init__(self, index_dir: Path | str, size: int = SEARCHERS, time_budget: float | None = DEFAULT_BUDGET):
        self.index_dir, self.time_budget = index_dir, time_budget
        self._free: queue.LifoQueue[SearchBackend | None] = queue.LifoQueue()
        for _ in range(size):
            self._free.put(None)  # not opened yet
        self._size = size
        self._stop = threading.Event()
        self._freshener: threading.Thread | None = None

    def start(self) -> None:
        """Keep the searcher used last on the current generation, in the background (local index only),
        until ``close``; an app's lifespan may start it again after."""
        if not is_cluster(str(self.index_dir)) and self._freshener is None:
            self._stop.clear()
            self._freshener = threading.Thread(target=self._keep_fresh, name="rtes-freshener", daemon=True)
            self._freshener.start()

    def _keep_fresh(self) -> None:
        while not self._stop.wait(FRESHEN_EVERY):
            try:
                searcher = self._free.get_nowait()
            except queue.Empty:  # every searcher is answering a request
                continue
            try:
                if searcher is not None and searcher.refresh():
                    searcher.search("")  # reads the facet and date columns, as a first request would
            except SearchError:  # no index, a damaged one: the next request says so
                pass
            except Exception:
                log.exception("échec de la mise à jour d'un chercheur")
            finally:
                self._free.put(searcher)

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
        self._stop.set()
        if self._freshener is not None:
            self._freshener.join()
            self._freshener = None
        for _ in range(self._size):
            searcher = self._free.get()
            if searcher is not None:
                searcher.close()
        for _ in range(self._size):
            self._free.put(None)
