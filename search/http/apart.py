"""Costly searches run apart: in a process of their own, at a lower CPU priority, one at a time.

Why a process: every thread of the server shares one GIL, and a search
that computes for 50 ms or more (``a* b* … z*``: 500 expanded words)
holds it in 5 ms slices against requests that need it for a fraction of
that. A client sending such queries one after another took a third of the
server's time, whatever each cost: a query three times cheaper (``a* b*
c*``) came back three times as often and hurt as much (issue 22: the
other clients' p95 went from about 90 to 135 ms). Apart, it takes no time
from the server's GIL, and its process's lower priority (``NICENESS``)
gives a contended core to the server and its clients first.

One search at a time, on the process's one searcher (kept warm, refreshed
to the current generation before each search, as the pool's are): a
stream of costly queries waits for its turn instead of occupying the
pool. At most ``WAITING`` wait; one more runs in the server as before
(``search`` answers None), so waiting requests never hold every worker
thread. The process (``search.worker``) starts on the first costly query and
stops with the server; if it died, the next costly query starts another.
What it is told (the index folder or cluster address, whose key stays off
any command line) and what it answers (the same ``Results``, the same
``SearchError`` with its ``param`` or ``position``) are pickled through
its standard input and output.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import threading

from search.errors import SearchError
from search.results import Results
from search.worker import send

NICENESS = 10   # added to the server's: the scheduler gives a contended core to the server first
WAITING = 4     # costly searches waiting for the process, beyond which one runs in the server


class Apart:
    """The process apart for ``target``'s costly searches (started on first use)."""

    def __init__(self, target, time_budget: float | None):
        self.target, self.time_budget = target, time_budget
        self._turn = threading.Lock()   # one search at a time
        self._slots = threading.BoundedSemaphore(1 + WAITING)
        self._process: subprocess.Popen | None = None

    def search(self, **arguments) -> Results | None:
        """``search(**arguments)`` of a searcher in the process apart; None when too many already wait,
        or when the process could not answer (it died: the next search starts another)."""
        if not self._slots.acquire(blocking=False):
            return None
        try:
            with self._turn:
                outcome = self._ask(arguments)
        finally:
            self._slots.release()
        if outcome is None or isinstance(outcome, Results):
            return outcome
        raise _error(*outcome)

    def _ask(self, arguments: dict):
        try:
            if self._process is None:
                # Niced from its start: its imports and first search (0.4 s of a core) yield too.
                command = ["nice", "-n", str(NICENESS), sys.executable, "-m", "search.worker"]
                self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
                send(self._process.stdin, (self.target, self.time_budget))
            send(self._process.stdin, arguments)
            return pickle.load(self._process.stdout)
        except (OSError, EOFError, pickle.UnpicklingError):
            self._stop()
            return None

    def _stop(self) -> None:
        """End the process: its input closed, it returns; killed if it does not within a second."""
        process, self._process = self._process, None
        if process is None:
            return
        try:
            process.stdin.close()
            process.wait(1)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()

    def close(self) -> None:
        """Stop the process (after the search it runs)."""
        with self._turn:
            self._stop()


def _error(kind: type[SearchError], message: str, attributes: dict) -> SearchError:
    """The searcher's error again, attributes included (``param``, ``position``), whatever its ``__init__``."""
    error = kind.__new__(kind)
    Exception.__init__(error, message)
    error.__dict__.update(attributes)
    return error

