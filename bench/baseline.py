"""Plain Whoosh, as its documentation shows it: the baseline of the benchmark.

Stock ``LanguageAnalyzer("fr")`` on title and body, the same facet values
as ours (same ingester and metadata step, so only analysis, writing and
search differ), ``groupedby`` facet counts and default ``hit.highlights``.
"""

from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import qparser, sorting
from whoosh.analysis import LanguageAnalyzer
from whoosh.fields import ID, KEYWORD, TEXT, Schema

from bench.corpus import documents

LIMIT = 10
FACETS = ("type", "year", "theme", "territory")


def schema() -> Schema:
    analyzer = LanguageAnalyzer("fr")
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, stored=True),
        body=TEXT(analyzer=analyzer, stored=True),
        type=ID(stored=True),
        year=ID(stored=True),
        theme=KEYWORD(stored=True, commas=True),
        territory=KEYWORD(stored=True, commas=True),
    )


def build(source: Path, index_dir: Path, mapping_args: tuple) -> int:
    """Index ``source`` with a stock writer; the number of documents indexed."""
    index_dir.mkdir(parents=True, exist_ok=True)
    writer = whoosh_index.create_in(str(index_dir), schema()).writer()
    count = 0
    for count, doc in enumerate(documents(source, mapping_args), 1):
        writer.add_document(
            id=doc.id, title=doc.title, body=doc.body, type=doc.type, year=doc.year,
            theme=",".join(doc.themes), territory=",".join(doc.territories),
        )
    writer.commit()
    return count


def index_files(index_dir: Path) -> Path:
    return index_dir


class Session:
    """One open plain-Whoosh searcher, answering the three query modes."""

    def __init__(self, index_dir: Path):
        self._searcher = whoosh_index.open_dir(str(index_dir)).searcher()
        self._parser = qparser.MultifieldParser(["title", "body"], self._searcher.schema)
        self._groups = {name: sorting.FieldFacet(name, allow_overlap=True) for name in FACETS}

    def hits(self, text: str) -> int:
        results = self._searcher.search(self._parser.parse(text), limit=LIMIT)
        return len([hit.fields() for hit in results])

    def snippets(self, text: str) -> int:
        results = self._searcher.search(self._parser.parse(text), limit=LIMIT)
        return len([(hit.fields(), hit.highlights("body")) for hit in results])

    def facets(self, text: str) -> int:
        results = self._searcher.search(self._parser.parse(text), limit=LIMIT, groupedby=self._groups)
        shown = [(hit.fields(), hit.highlights("body")) for hit in results]
        counts = {name: {k: len(v) for k, v in results.groups(name).items()} for name in FACETS}
        return len(shown) if counts else 0

    def close(self) -> None:
        self._searcher.close()
