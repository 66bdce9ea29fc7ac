"""A thread that applies pushed documents to the index in the background: one commit for many writes.

A server answers a write once its journal lines are fsynced (``Pushes.put``)
and wakes this thread (``notify``). The thread applies everything pending
in one generation, then waits at least ``COMMIT_INTERVAL`` before the
next commit: under a steady stream of writes that makes about one
commit a second, each holding all the writes of the interval, and a write
is searchable at most about ``COMMIT_INTERVAL`` plus one commit after its
answer (Elasticsearch's refresh interval is 1 s). It also looks every
``CHECK_INTERVAL`` for operations it was not told about: another server
process's, or a tail a killed server journalled but never applied. While
an ``index`` run or another process holds the index lock it tries again
a moment later.
"""

from __future__ import annotations

import logging
import threading
import time

from indexer.errors import IndexLockedError
from indexer.updates import Pushes

COMMIT_INTERVAL = 0.6   # seconds from the start of one commit to the next at the soonest
CHECK_INTERVAL = 1.0    # seconds between two looks at the journal when nobody writes here
LOCKED_RETRY = 0.1      # seconds before trying again when the index lock is held

log = logging.getLogger("rtes-search.writes")


class Committer:
    """Apply ``pushes`` in a daemon thread until ``stop``."""

    def __init__(self, pushes: Pushes):
        self.pushes = pushes
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None
        self._last = 0.0

    def start(self) -> "Committer":
        """Start the thread, once the writers and the metadata rules are loaded (``_warm_up``);
        again after ``stop`` (an app's lifespan may run twice)."""
        if self._thread is None:
            _warm_up()
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="rtes-committer", daemon=True)
            self._thread.start()
        return self

    def notify(self) -> None:
        """Something was journalled: commit it soon."""
        self._wake.set()

    def stop(self) -> None:
        """Apply what is pending, then end the thread (at the server's shutdown)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(CHECK_INTERVAL)
            self._wake.clear()
            self._stop.wait(max(0.0, self._last + COMMIT_INTERVAL - time.monotonic()))
            self._commit()
        self._commit()  # what came in just before the stop

    def _commit(self) -> None:
        try:
            if self.pushes.pending():
                self._last = time.monotonic()
                self.pushes.apply()
        except IndexLockedError:
            self._wake.set()
            time.sleep(LOCKED_RETRY)
        except Exception:  # a full disk, a damaged index: said in the log, tried again at the next write
            log.exception("échec de l'application des documents envoyés")


def _warm_up() -> None:
    """Load the writers and the metadata rules (about 1.5 s) before the first write waits for them."""
    import indexer.apply  # noqa: F401  (the writers)
    from indexer.documents import Document
    from indexer.metadata import extract_metadata

    # Words that reach every rule, the gazetteer of place names included (loaded on first use).
    extract_metadata(Document(id="", title="Rencontre du 5 juin 2018 à Grenoble", body="La Ville de Lille (59) et Lyon."))
