"""A per-client token bucket, in memory: enough for one server process.

Each client (by address) may make ``limit`` requests per ``window`` seconds,
refilled continuously, so a burst of ``limit`` is allowed and then one
request every ``window / limit`` seconds. Buckets of idle clients are
dropped when the table grows, so memory stays bounded.
"""

from __future__ import annotations

import threading
import time

MAX_CLIENTS = 10_000


class RateLimiter:
    """Decide whether a client may make one more request now.

    >>> limiter = RateLimiter(2, 60.0)
    >>> [limiter.check("10.0.0.1", now=0.0)[0] for _ in range(3)]
    [True, True, False]
    >>> limiter.check("10.0.0.1", now=30.0)[0]
    True
    """

    def __init__(self, limit: int, window: float):
        self.limit, self.window = limit, window
        self.per_second = limit / window
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def check(self, client: str, now: float | None = None) -> tuple[bool, int]:
        """``(allowed, seconds to wait before retrying)``."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.limit), now))
            tokens = min(float(self.limit), tokens + (now - last) * self.per_second)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            if len(self._buckets) >= MAX_CLIENTS and client not in self._buckets:
                self._forget_idle(now)
            self._buckets[client] = (tokens, now)
        wait = 0 if allowed else int((1.0 - tokens) / self.per_second) + 1
        return allowed, wait

    def _forget_idle(self, now: float) -> None:
        """Drop clients whose bucket has refilled completely (they lose nothing)."""
        full = self.limit / self.per_second
        self._buckets = {c: (t, last) for c, (t, last) in self._buckets.items() if now - last < full}
