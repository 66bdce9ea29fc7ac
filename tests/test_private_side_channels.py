"""What a public caller could infer of a hidden resource from the order or the details of public answers.

Completions must be the same whether or not the private resource exists,
and a public resource's JSON must not carry its line in the source file (a
gap between two public records shows a hidden one) nor the server's folders.
"""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from indexer import build_index
from indexer.ingest import iter_documents
from indexer.ingest.records import FieldMapping
from search import Searcher

from conftest import CORPUS, SIEG, WEBINAR
from http_support import TOKEN, make_app

MAPPING = FieldMapping(fields=(("summary", "summary"), ("private", "private")))


def _index_of(documents, folder):
    """``documents`` written as JSONL and indexed into ``folder``."""
    folder.mkdir()
    source = folder / "ressources.jsonl"
    source.write_text("".join(json.dumps({"id": d.id, "title": d.title, "text": d.body, "summary": d.summary,
                                          "private": "oui" if d.private else "non"}) + "\n" for d in documents))
    build_index([source], folder / "index", mapping=MAPPING)
    return folder / "index"


@pytest.fixture(scope="module")
def with_and_without_private(tmp_path_factory):
    """The corpus indexed twice: with its private resource, and without it."""
    documents = list(iter_documents([CORPUS]))
    assert any(d.id == SIEG and d.private for d in documents)
    root = tmp_path_factory.mktemp("side-channels")
    return (_index_of(documents, root / "with"),
            _index_of([d for d in documents if d.id != SIEG], root / "without"))


def test_public_completions_do_not_depend_on_the_private_resource(with_and_without_private):
    with_private, without = with_and_without_private
    text = " ".join(d.title + " " + d.body for d in iter_documents([CORPUS]) if not d.private)
    prefixes = sorted({word[:n].lower() for word in re.findall(r"\w{3,}", text) for n in (2, 3)})
    with Searcher(with_private) as full, Searcher(without) as public_only:
        for prefix in prefixes:
            for limit in (1, 3):
                assert full.suggest(prefix, limit=limit) == public_only.suggest(prefix, limit=limit), prefix
        # "techniques" is in the private resource too: with access it comes first, as it should.
        assert full.suggest("tec", limit=1, include_private=True) == ["techniques"]
        assert public_only.suggest("tec", limit=1) == ["techniciens"]


def test_a_public_document_says_its_source_file_but_not_its_line_nor_the_servers_folder(corpus_index):
    with TestClient(make_app(corpus_index)) as client:
        public = client.get(f"/api/v1/documents/{WEBINAR}").json()
        private = client.get(f"/api/v1/documents/{SIEG}", headers={"Authorization": f"Bearer {TOKEN}"}).json()
    for doc in (public, private):
        assert "line" not in doc and doc["source"] == "rtes-ressources-export.txt"
        assert str(CORPUS) not in json.dumps(doc)


def test_a_public_word_is_completed_however_many_private_words_share_its_prefix(tmp_path):
    # 300 words only private resources hold, each in more resources than the one public word: a
    # pre-selection of the most frequent words overall (even 4 per word wanted, for the 50 candidates
    # of a completion or the 64 words of a prefix), recounted for the caller, would offer nothing.
    private = [{"id": f"prive-{i}", "title": f"Note interne {i}", "private": "oui",
                "text": " ".join(f"zircon{j}" for j in range(300))} for i in range(5)]
    public = [{"id": f"public-{i}", "title": f"Fiche {i}", "private": "non", "text": "Le zirconium des sols."}
              for i in range(2)]
    source = tmp_path / "ressources.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in private + public))
    build_index([source], tmp_path / "index", mapping=FieldMapping(fields=(("private", "private"),)))
    with Searcher(tmp_path / "index") as searcher:
        assert searcher.suggest("zirc", limit=1) == ["zirconium"]
        assert searcher.suggest("zirc", limit=1, include_private=True) == ["zircon0"]
        assert searcher.search("zirc*").total == 2
