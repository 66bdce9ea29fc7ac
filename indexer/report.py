"""What an indexing run tells its caller: progress while it runs, a report at the end.

The library never prints; it hands these values to the faces, which decide
how to show them (a line on stderr, JSON on stdout).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from indexer.documents import IngestError, IngestWarning, LeftOut


@dataclass(frozen=True)
class IndexProgress:
    """How far a run is: documents read so far, how many are expected, seconds spent.

    ``expected`` is the size of the index being updated (the best guess of
    the corpus size without reading it twice), None on a first build.

    >>> p = IndexProgress(done=500, expected=2000, elapsed=2.0)
    >>> (p.rate, p.eta)
    (250.0, 6.0)
    """

    done: int
    expected: int | None
    elapsed: float

    @property
    def rate(self) -> float:
        """Documents per second since the start."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate, when the total is known and not yet passed."""
        if not self.expected or not self.rate or self.done >= self.expected:
            return None
        return (self.expected - self.done) / self.rate


Progress = Callable[[IndexProgress], None]


@dataclass(frozen=True)
class IndexReport:
    """What a run changed, what it skipped and why, and the index it left.

    ``errors``: records that could not be read; ``left_out``: files and
    pages read and not indexed on purpose (a README, a listing page, a
    format we do not read); both are ``skipped``. ``warnings``: documents
    indexed without a value that could not be kept (an impossible date).
    ``rewritten`` counts the unchanged documents written again all the
    same: a rebuild (or a run after an analyzer or schema change) rewrites
    every document, and says so rather than a bare ``ajoutés 0``.
    """

    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    errors: tuple[IngestError, ...] = field(default=())
    documents: int = 0
    index_dir: str = ""
    seconds: float = 0.0
    left_out: tuple[LeftOut, ...] = field(default=())
    warnings: tuple[IngestWarning, ...] = field(default=())
    rewritten: int = 0

    @property
    def skipped(self) -> int:
        return len(self.errors) + len(self.left_out)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.deleted)

    def summary(self) -> str:
        """The one line a person reads, in French (the JSON keys stay English).

        >>> IndexReport(added=10, errors=(IngestError("a.txt", 3, "vide"),)).summary()
        'ajoutés 10, mis à jour 0, supprimés 0, inchangés 0, ignorés 1 (avec erreurs)'
        >>> IndexReport(added=10, left_out=(LeftOut("corpus/README.md", 0, "README"),)).summary()
        'ajoutés 10, mis à jour 0, supprimés 0, inchangés 0, ignorés 1'
        >>> IndexReport(unchanged=10, rewritten=10).summary()
        'ajoutés 0, mis à jour 0, supprimés 0, inchangés 10 (réécrits 10), ignorés 0'
        """
        rewritten = f" (réécrits {self.rewritten})" if self.rewritten else ""
        line = (
            f"ajoutés {self.added}, mis à jour {self.updated}, supprimés {self.deleted}, "
            f"inchangés {self.unchanged}{rewritten}, ignorés {self.skipped}"
        )
        return line + " (avec erreurs)" if self.errors else line

    def to_dict(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
            "rewritten": self.rewritten,
            "skipped": self.skipped,
            "errors": _listed(self.errors),
            "left_out": _listed(self.left_out),
            "warnings": _listed(self.warnings),
            "documents": self.documents,
            "index_dir": self.index_dir,
            "seconds": round(self.seconds, 3),
        }


def _listed(items: tuple[IngestError, ...]) -> list[dict]:
    return [{"source": e.source, "line": e.line, "reason": e.reason} for e in items]
