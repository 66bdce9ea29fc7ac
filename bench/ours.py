"""Our engine under the benchmark: the real indexer and the real Searcher API.

Three query modes, each a superset of the one before:
``hits`` parses with our analyzer and ranks with our BM25F boosts (top 10,
stored fields read); ``snippets`` adds our highlighted fragments for those
10 hits; ``facets`` is the whole ``Searcher.search`` call a user makes
(total count, snippets, private exclusion and every facet count).
"""

from __future__ import annotations

from pathlib import Path

from indexer import FieldMapping, build_index
from indexer.storage import current_generation
from search import Searcher
from search.snippets import snippets_for

LIMIT = 10


def build(source: Path, index_dir: Path, mapping_args: tuple) -> int:
    """Index ``source`` into ``index_dir``; the number of documents indexed."""
    mapping = FieldMapping(*mapping_args[:3], mapping_args[3]) if mapping_args else None
    return build_index([source], index_dir, mapping=mapping).documents


def index_files(index_dir: Path) -> Path:
    """The directory holding the Whoosh files of the current generation."""
    return current_generation(index_dir)


class Session:
    """One open index, answering the three query modes."""

    def __init__(self, index_dir: Path):
        self.api = Searcher(index_dir)
        # The API's own Whoosh searcher, not a second copy, so that the
        # session's peak memory is that of one open Searcher.
        self._whoosh = self.api._searcher

    def hits(self, text: str) -> int:
        """The product's ranking (``Searcher.ranking``): ids and scores, no snippets or facets."""
        return len(self.api.ranking(text, depth=LIMIT))

    def snippets(self, text: str) -> int:
        """The ranking plus the snippets of its hits, still without facet counts."""
        plan, ranked = self.api.ranked(text, LIMIT)
        if plan.browse:
            return 0
        highlight, schema = plan.highlight(), self._whoosh.schema
        return len([snippets_for(self._whoosh.stored_fields(doc), highlight, schema) for doc, _ in ranked])

    def facets(self, text: str) -> int:
        return len(self.api.search(text, limit=LIMIT).hits)

    def close(self) -> None:
        self.api.close()
