"""tantivy (Rust, through its Python binding): the native reference of the benchmark.

A speed reference, not a relevance one: its default tokenizer (no French
stemming), title and body, its lenient query parser, top 10. It indexes the
same documents with the same facet values as ours (same ingester and
metadata step). ``hits`` reads the stored fields of the top 10,
``snippets`` adds its snippet of the body for each, ``facets`` adds the
count and a terms aggregation per facet field. Needs the ``bench`` extra
(``pip install -e '.[bench]'``); the benchmark skips it when absent.
"""

from __future__ import annotations

from pathlib import Path

import tantivy

from bench.corpus import documents
from indexer.documents import Document

LIMIT = 10
FACETS = ("type", "year", "theme", "territory")
HEAP_BYTES = 256 * 1024 * 1024


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True)
    builder.add_text_field("body", stored=True)
    for name in FACETS:  # one raw term per value, in a column for aggregations
        builder.add_text_field(name, stored=True, fast=True, tokenizer_name="raw")
    return builder.build()


def _document(doc: Document) -> tantivy.Document:
    values = {"type": [doc.type], "year": [doc.year], "theme": list(doc.themes), "territory": list(doc.territories)}
    return tantivy.Document(
        id=doc.id, title=doc.title, body=doc.body, **{k: [v for v in vs if v] for k, vs in values.items()}
    )


def build(source: Path, index_dir: Path, mapping_args: tuple) -> int:
    """Index ``source`` with tantivy's writer; the number of documents indexed."""
    index_dir.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema(), path=str(index_dir))
    writer = index.writer(HEAP_BYTES)
    count = 0
    for count, doc in enumerate(documents(source, mapping_args), 1):
        writer.add_document(_document(doc))
    writer.commit()
    writer.wait_merging_threads()
    return count


def index_files(index_dir: Path) -> Path:
    return index_dir


class Session:
    """One open tantivy searcher, answering the three query modes."""

    def __init__(self, index_dir: Path):
        self._index = tantivy.Index.open(str(index_dir))
        self._searcher = self._index.searcher()
        self._schema = self._index.schema

    def _top(self, text: str, count: bool = False):
        query, _errors = self._index.parse_query_lenient(text, ["title", "body"])
        result = self._searcher.search(query, LIMIT, count=count)
        return query, result.hits, result.count

    def hits(self, text: str) -> int:
        _, hits, _ = self._top(text)
        return len([self._searcher.doc(address).to_dict() for _, address in hits])

    def snippets(self, text: str) -> int:
        query, hits, _ = self._top(text)
        generator = tantivy.SnippetGenerator.create(self._searcher, query, self._schema, "body")
        docs = [self._searcher.doc(address) for _, address in hits]
        return len([(doc.to_dict(), generator.snippet_from_doc(doc).to_html()) for doc in docs])

    def facets(self, text: str) -> int:
        query, hits, total = self._top(text, count=True)
        generator = tantivy.SnippetGenerator.create(self._searcher, query, self._schema, "body")
        docs = [self._searcher.doc(address) for _, address in hits]
        shown = [(doc.to_dict(), generator.snippet_from_doc(doc).to_html()) for doc in docs]
        aggregations = {name: {"terms": {"field": name, "size": 1000}} for name in FACETS}
        counts = self._searcher.aggregate(query, aggregations)
        return len(shown) if counts and total is not None else 0

    def close(self) -> None:
        self._searcher = None
