"""Send batches in a second thread, so that analysing documents and indexing them overlap.

The indexing loop spends its time in our French analysis (Python, holding
the GIL); the cluster spends its own indexing and replicating each batch,
while the client only waits on a socket. One sender thread sends batch n
while the loop analyses batch n + 1; at most ``depth`` batches wait, so
memory stays bounded. The first error stops the sender and is raised to the
loop on its next ``send`` or at ``close``.
"""

from __future__ import annotations

import queue
import threading
from typing import Callable

_STOP = object()


class BatchSender:
    """``send(batch)`` hands a batch to ``write`` in the sender thread; ``close()`` waits for all of them."""

    def __init__(self, write: Callable[[list], None], depth: int = 2):
        self._write, self._queue = write, queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="rtes-cluster-sender", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            batch = self._queue.get()
            if batch is _STOP:
                return
            if self._error is None:  # after an error, the rest is dropped
                try:
                    self._write(batch)
                except BaseException as exc:  # handed over to the loop's thread
                    self._error = exc

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def send(self, batch: list) -> None:
        self._raise()
        self._queue.put(batch)

    def close(self) -> None:
        """Wait until every batch is sent (or dropped after an error); raise that error."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()
        self._raise()

    def abandon(self) -> None:
        """Stop without raising: what is queued is dropped once the batch in flight ends."""
        if self._error is None:
            self._error = RuntimeError("envoi abandonné")
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()
