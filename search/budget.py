"""A search's time budget: past it, a search returns what it has, with a French warning.

One query can cost far more than others (``a* b* c* … z*``: hundreds of
words); its expansions are capped (``search.compile``), and a deadline
bounds the rest. Stages that can stop early look at ``spent()``: prefixes
not yet expanded are left out, hits not yet given snippets get the
opening of their text. Whatever was cut sets ``cut``, and the results then
carry ``warning()``.
"""

from __future__ import annotations

import time

DEFAULT_BUDGET = 1.0   # seconds per search; 0 or None: no limit


class Budget:
    """The deadline of one search, ``seconds`` from now."""

    def __init__(self, seconds: float | None = DEFAULT_BUDGET):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds if seconds else float("inf")
        self.cut = False

    def spent(self) -> bool:
        return time.monotonic() >= self.deadline

    def warning(self) -> list[str]:
        """The French warning when something was cut; none otherwise."""
        if not self.cut:
            return []
        return [f"recherche arrêtée au bout de {self.seconds:g} s : résultats partiels (requête trop coûteuse)"]
