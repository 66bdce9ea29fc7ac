"""Meaning vectors (indexer.meaning, search.meaning): what they re-order, what they never show, what they keep.

A handful of French labour-law documents; the query "vacances annuelles du
salarié" shares only "salarié" with the page on paid leave ("congés
payés"), as it does with a page on safety shoes that the words alone rank
first (shorter, so a higher BM25). The encoder is the real one (the
``[meaning]`` extra, installed with the test tools).
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

import indexer.meaning as meaning
from indexer import FieldMapping, build_index, pushed_document, update_documents, update_index
from indexer.errors import IndexerError
from indexer.storage import current_generation, read_manifest
from search import DamagedIndexError, Searcher
from search.meaning import rerank

QUERY = "vacances annuelles du salarié"
DOCS = [
    {"id": "conges", "title": "Les congés payés",
     "text": "Chaque salarié acquiert deux jours et demi de repos rémunéré par mois de travail effectif chez le même "
             "employeur ; la période de prise des congés est fixée par l'employeur."},
    {"id": "chantier", "title": "Équipements de protection",
     "text": "Sur un chantier, le salarié porte un casque et des chaussures de sécurité."},
    {"id": "secret", "title": "Note interne", "private": "oui",
     "text": "Le calendrier des congés de chaque salarié de l'équipe pour l'été."},
]
MAPPING = FieldMapping("id", "title", "text", (("private", "private"),))


def write_docs(path, docs=DOCS):
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


@pytest.fixture
def source(tmp_path):
    return write_docs(tmp_path / "docs.jsonl")


def ids(results):
    return [hit.id for hit in results.hits]


def vector_files(index_dir):
    return sorted(p.name for p in current_generation(index_dir).glob("meaning-*"))


def test_meaning_brings_the_document_that_means_the_query_first(source, tmp_path):
    build_index([source], tmp_path / "ix", mapping=MAPPING, meaning=True)
    with Searcher(tmp_path / "ix", meaning=False) as words:
        alone = ids(words.search(QUERY))
    with Searcher(tmp_path / "ix") as searcher:
        fused = searcher.search(QUERY)
    assert alone[0] == "chantier" and "conges" in alone
    assert ids(fused)[0] == "conges"
    assert sorted(ids(fused)) == sorted(alone) and fused.total == len(alone)   # re-ordered, nothing added
    scores = [hit.score for hit in fused.hits]
    assert scores == sorted(scores, reverse=True)


def test_the_ranking_and_every_face_of_search_share_the_order(source, tmp_path):
    build_index([source], tmp_path / "ix", mapping=MAPPING, meaning=True)
    with Searcher(tmp_path / "ix") as searcher:
        page = ids(searcher.search(QUERY))
        assert [doc for doc, _ in searcher.ranking(QUERY)] == page
        assert [hit.id for hit in searcher.hits(QUERY)] == page
        assert ids(searcher.search(QUERY, limit=1, page=2)) == page[1:2]
        assert ids(searcher.search(QUERY, sort="date")) != []   # by date: the words' matches, no meaning asked


def test_a_private_document_is_never_shown_by_its_meaning(source, tmp_path):
    """The private note means the query best; a public caller never gets it, nor a count of it."""
    build_index([source], tmp_path / "ix", mapping=MAPPING, meaning=True)
    with Searcher(tmp_path / "ix") as searcher:
        public = searcher.search(QUERY)
        private = searcher.search(QUERY, include_private=True)
        assert "secret" not in ids(public) and "secret" not in {d for d, _ in searcher.ranking(QUERY)}
        assert public.total == 2
        assert ids(private)[0] == "secret" and private.total == 3


def test_the_first_hits_move_the_query_towards_what_they_mean(monkeypatch):
    """Pseudo-relevance feedback: the query's vector means none of the hits, but the words' first ten
    mean one thing; of two hits further down, the one meaning that thing passes the one meaning
    another, though the words put it below."""
    axes = np.eye(meaning.DIMENSIONS, dtype=np.float32)
    monkeypatch.setattr(meaning, "encode", lambda texts: axes[[0]])
    means = {**{doc: axes[1] for doc in range(11)}, 11: axes[2]}

    class Vectors:
        def rows(self, docs):
            return np.array([means[int(doc)] for doc in docs])

    ranked = [(doc, 10.0 - doc) for doc in range(10)] + [(10, 0.30), (11, 0.31)]
    order = [doc for doc, _ in rerank("vacances annuelles", ranked, Vectors())]
    assert order.index(10) < order.index(11)
    assert order[:10] == list(range(10))


def test_an_index_without_vectors_searches_as_before(source, tmp_path):
    build_index([source], tmp_path / "plain", mapping=MAPPING)
    build_index([source], tmp_path / "ix", mapping=MAPPING, meaning=True)
    assert vector_files(tmp_path / "plain") == [] and "meaning" not in read_manifest(current_generation(tmp_path / "plain"))
    assert read_manifest(current_generation(tmp_path / "ix"))["meaning"] == meaning.MODEL
    with Searcher(tmp_path / "plain") as plain, Searcher(tmp_path / "ix", meaning=False) as words:
        assert plain.meaning_vectors() is None
        assert _unstamped(plain.search(QUERY).to_dict()) == _unstamped(words.search(QUERY).to_dict())
        assert plain.ranking(QUERY)[0] == ("chantier", pytest.approx(words.ranking(QUERY)[0][1]))


def _unstamped(answer: dict) -> dict:
    """``answer`` without each hit's ``indexed_at``: the two indexes are built one after the other, and a
    second may tick between them."""
    return {**answer, "hits": [{k: v for k, v in hit.items() if k != "indexed_at"} for hit in answer["hits"]]}


def test_without_the_encoder_an_index_with_vectors_ranks_by_the_words(source, tmp_path, monkeypatch):
    build_index([source], tmp_path / "ix", mapping=MAPPING, meaning=True)
    monkeypatch.setattr("search.local.searcher.meaning_available", lambda: False)
    with Searcher(tmp_path / "ix") as searcher:
        assert ids(searcher.search(QUERY))[0] == "chantier"


def test_updates_reuse_the_vectors_of_unchanged_documents(source, tmp_path, monkeypatch):
    build_index([source], tmp_path / "ix", mapping=MAPPING, meaning=True)
    first = current_generation(tmp_path / "ix")
    [old] = vector_files(tmp_path / "ix")
    encoded = []
    real = meaning.encode
    monkeypatch.setattr(meaning, "encode", lambda texts: encoded.extend(texts) or real(texts))
    added = {"id": "preavis", "title": "Le préavis", "text": "Le délai-congé du salarié qui démissionne."}
    report = update_index([write_docs(source, DOCS + [added])], tmp_path / "ix", mapping=MAPPING)
    assert report.added == 1 and len(encoded) == 1 and encoded[0].startswith("Le préavis")
    files = vector_files(tmp_path / "ix")
    assert old in files and len(files) == 2   # the first segment's file kept (hard link), one for the new one
    assert os.path.samefile(first / old, current_generation(tmp_path / "ix") / old)
    with Searcher(tmp_path / "ix") as searcher:
        assert "preavis" in ids(searcher.search("salarié"))
        each_segment_agrees_with_the_encoder(searcher, [d["id"] for d in DOCS + [added]])


def test_documents_are_encoded_in_bounded_batches(source, tmp_path, monkeypatch):
    monkeypatch.setattr(meaning, "ENCODED_AT_ONCE", 2)
    batches = []
    real = meaning.encode
    monkeypatch.setattr(meaning, "encode", lambda texts: batches.append(len(texts)) or real(texts))
    build_index([source], tmp_path / "ix", mapping=MAPPING, meaning=True)
    assert batches == [2, 1]
    monkeypatch.undo()
    with Searcher(tmp_path / "ix") as searcher:
        each_segment_agrees_with_the_encoder(searcher, [d["id"] for d in DOCS], segments=1)


def each_segment_agrees_with_the_encoder(searcher, doc_ids, segments=2):
    """The cosine read from the vector files is the encoder's, for every document of every segment."""
    vectors, query = searcher.meaning_vectors(), meaning.encode([QUERY])[0]
    assert vectors is not None and len(vectors.parts) == segments
    docnums = np.array([searcher._docnum(doc_id, include_private=True) for doc_id in doc_ids])
    texts = [meaning.document_text(searcher.document(doc_id, include_private=True).__dict__) for doc_id in doc_ids]
    assert vectors.rows(docnums) @ query == pytest.approx(meaning.encode(texts) @ query, abs=2e-3)


def test_a_pushed_document_gets_its_vector(source, tmp_path):
    build_index([source], tmp_path / "ix", mapping=MAPPING, meaning=True)
    update_documents(tmp_path / "ix", [pushed_document("vacances", {"title": "Congés d'été", "text": "Le salarié part."})])
    with Searcher(tmp_path / "ix") as searcher:
        vectors = searcher.meaning_vectors()
        assert vectors is not None and "vacances" in ids(searcher.search(QUERY))


def test_a_failed_encoding_leaves_the_previous_index(source, tmp_path, monkeypatch):
    build_index([source], tmp_path / "ix", mapping=MAPPING, meaning=True)
    before = current_generation(tmp_path / "ix")

    def broken(texts):
        raise RuntimeError("encodeur en panne")

    monkeypatch.setattr(meaning, "encode", broken)
    changed = write_docs(source, DOCS + [{"id": "nouveau", "title": "Nouveau", "text": "Un texte à encoder."}])
    with pytest.raises(RuntimeError):
        update_index([changed], tmp_path / "ix", mapping=MAPPING)
    with pytest.raises(RuntimeError):   # a rebuild reuses the unchanged documents' vectors, encodes the new one
        build_index([changed], tmp_path / "ix", mapping=MAPPING, meaning=True)
    assert current_generation(tmp_path / "ix") == before
    assert sorted(p.name for p in (tmp_path / "ix").glob("gen-*")) == [before.name]
    monkeypatch.undo()
    with Searcher(tmp_path / "ix") as searcher:
        assert ids(searcher.search(QUERY))[0] == "conges"


def test_turning_meaning_on_rewrites_the_index_with_vectors(source, tmp_path):
    build_index([source], tmp_path / "ix", mapping=MAPPING)
    update_index([source], tmp_path / "ix", mapping=MAPPING, meaning=True)
    assert len(vector_files(tmp_path / "ix")) == 1
    update_index([source], tmp_path / "ix", mapping=MAPPING)          # later runs keep it
    assert len(vector_files(tmp_path / "ix")) == 1
    update_index([source], tmp_path / "ix", mapping=MAPPING, meaning=False)
    assert vector_files(tmp_path / "ix") == []


def test_meaning_without_the_encoder_is_a_french_error(source, tmp_path, monkeypatch):
    monkeypatch.setattr(meaning, "available", lambda: False)
    with pytest.raises(IndexerError, match=r"pip install 'rtes-search\[meaning\]'"):
        build_index([source], tmp_path / "ix", mapping=MAPPING, meaning=True)


def test_a_damaged_vector_file_is_a_damaged_index(source, tmp_path):
    build_index([source], tmp_path / "ix", mapping=MAPPING, meaning=True)
    [name] = vector_files(tmp_path / "ix")
    path = current_generation(tmp_path / "ix") / name
    data = bytearray(path.read_bytes())
    data[-20] ^= 0xFF
    path.write_bytes(bytes(data))
    with Searcher(tmp_path / "ix") as searcher, pytest.raises(DamagedIndexError, match="bloc endommagé"):
        searcher.search(QUERY)


def test_vectors_are_quantised_within_a_thousandth():
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(20, meaning.DIMENSIONS)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rows, scales = meaning.quantised(vectors)
    assert rows.dtype == np.int8 and np.abs(rows).max() == 127
    assert np.abs(rows * scales[:, None] - vectors).max() < 1e-3


def test_the_cli_writes_vectors_with_meaning(source, tmp_path):
    from click.testing import CliRunner

    from search.cli import cli

    args = ["index", str(source), "--id-field", "id", "--field", "private=private", "--index-dir", str(tmp_path / "ix"), "-q"]
    assert CliRunner().invoke(cli, args + ["--meaning"]).exit_code == 0
    assert len(vector_files(tmp_path / "ix")) == 1
    result = CliRunner().invoke(cli, ["index", "--check", "--meaning", "--index-dir", str(tmp_path / "ix")])
    assert result.exit_code == 2 and "--meaning" in result.output
