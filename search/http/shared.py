"""One search backend for the whole server, used by one request at a time.

Why a lock rather than a searcher per thread: a Whoosh searcher is not
documented as thread-safe (its readers share file handles and caches), and
the Searcher fills its caches lazily (posting arrays, facet masks, views);
a searcher per thread would hold its own copy of every array, and the
planning, snippets and rendering around the numpy arithmetic still run
under the GIL. Requests wait their turn for a few milliseconds; the event
loop keeps accepting connections and answering 429 meanwhile, because
endpoints run in the worker thread pool. To use more cores, run more
processes (``rtes-search serve --workers N``).

The index may be missing when the server starts (503 until it is built) and
may be rebuilt while it runs: every use first checks, with one ``readlink``,
whether a newer generation is current. A cluster address instead of a
folder opens a ``search.cluster.ClusterSearcher`` (``search.open_searcher``);
its check is one read of the alias.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from search import SearchBackend, open_searcher


class SharedSearcher:
    """Open the index lazily, refresh it cheaply, and serialise access to it."""

    def __init__(self, index_dir: Path | str):
        self.index_dir = index_dir
        self._searcher: SearchBackend | None = None
        self._lock = threading.Lock()

    @contextmanager
    def use(self) -> Iterator[SearchBackend]:
        """The up-to-date searcher, held exclusively; raises ``IndexNotFoundError`` without index."""
        with self._lock:
            if self._searcher is None:
                self._searcher = open_searcher(self.index_dir)
            else:
                self._searcher.refresh()
            yield self._searcher

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
