"""Indexes written from prepared batches hold exactly what Whoosh's own writer writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.formats import Positions

from indexer import FieldMapping, iter_documents
from indexer.documents import Document
from indexer.metadata import extract_metadata
from indexer.prepared import Preparer, encode_positions
from indexer.schema import SCHEMA
from indexer.segment import PreparedSegmentWriter
from indexer.sync import document_fields

from conftest import CORPUS, ROOT

LAW = ROOT / "data" / "codes-juridiques-francais" / "articles.jsonl.gz"
LAW_MAPPING = FieldMapping("doc_id", "title", "text", (("type", "code"), ("collection", "status")))


def _fields(paths, mapping=None, limit=None) -> list[dict]:
    docs = [d for d in iter_documents(paths, mapping) if isinstance(d, Document)][:limit]
    return [document_fields(extract_metadata(d), d.content_hash(), "2026-01-02T03:04:05Z", d.source) for d in docs]


def _whoosh(directory: Path, fields: list[dict]):
    directory.mkdir()
    writer = whoosh_index.create_in(str(directory), SCHEMA).writer(compound=False)
    for one in fields:
        writer.add_document(**one)
    writer.commit(optimize=True)
    return whoosh_index.open_dir(str(directory)).reader()


def _prepared(directory: Path, fields: list[dict], batch: int):
    directory.mkdir()
    writer = PreparedSegmentWriter(whoosh_index.create_in(str(directory), SCHEMA), compound=False)
    preparer = Preparer(SCHEMA)
    for first in range(0, len(fields), batch):
        writer.add_batch(preparer.prepare(fields[first:first + batch], first))
    writer.commit(optimize=True)
    return whoosh_index.open_dir(str(directory)).reader()


def _contents(reader) -> dict:
    """Everything a searcher reads: term statistics, postings, lengths, stored fields, columns."""
    terms = {}
    for field, text in reader.all_terms():
        info = reader.term_info(field, text)
        postings = reader.postings(field, text)
        terms[field, text] = (
            info.weight(), info.doc_frequency(), info.min_length(), info.max_length(), info.max_weight(),
            info.min_id(), info.max_id(), list(postings.all_items()),
        )
    names = [n for n in reader.schema.names() if reader.schema[n].column_type]
    return {
        "terms": terms,
        "stored": list(reader.all_stored_fields()),
        "lengths": [[reader.doc_field_length(d, f) for f in ("title", "summary", "body", "words")]
                    for d in range(reader.doc_count_all())],
        "totals": [reader.field_length(f) for f in ("title", "summary", "body", "words")],
        "columns": {n: list(reader.column_reader(n)) for n in names},
    }


@pytest.mark.parametrize("batch", [3, 200])
def test_the_rtes_corpus_is_written_identically(tmp_path, batch):
    fields = _fields([CORPUS])
    assert _contents(_prepared(tmp_path / "p", fields, batch)) == _contents(_whoosh(tmp_path / "w", fields))


def test_law_articles_with_full_blocks_are_written_identically(tmp_path):
    fields = _fields([LAW], LAW_MAPPING, limit=400)
    expected = _contents(_whoosh(tmp_path / "w", fields))
    assert max(info[1] for info in expected["terms"].values()) > 2 * 128, "some lists span several blocks"
    assert _contents(_prepared(tmp_path / "p", fields, 64)) == expected


def test_positions_are_encoded_as_whoosh_encodes_them():
    for positions in ([0], [5], [300], [1, 2, 3], [0, 70000], list(range(0, 5000, 3))):
        assert encode_positions(positions) == Positions().encode(positions)
