"""What a searcher keeps per segment across generations (``search.local.segments``) stays exact.

A searcher that lived through puts, updates, deletes and segment merges,
refreshing after each, must answer exactly as a searcher opened afresh on
the same generation: the same hits, totals, facet counts, date order,
corrections, completions and statistics, for the public and for a caller
who may see private resources; and it must really have reused what it
read of the segments it still shares. Since both searchers assemble the
same per-segment arrays, the facet counts and date order are also checked
against Whoosh read directly over the whole index (its own matchers and
columns, which skip deleted documents themselves), and the ranking against
the reference scored by Whoosh's matchers (``tests/reference_ranking.py``).
"""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from indexer import FieldMapping, build_index

from indexer.pushed import pushed_document
from indexer.schema import FACET_FIELDS
from indexer.updates import delete_documents, update_documents
from search import Searcher

from push_support import SCIC, index_dir  # noqa: F401  (a fixture)
from reference_ranking import reference_ranking

WEBINAR = "retour-sur-la-conference-en-ligne-marches-reserves-du-5-juin-2018"
SEARCHES = [
    {"query": "marchés réservés"},
    {"query": "ressourcerie SCIC"},
    {"query": "", "sort": "date"},
    {"query": "ESS", "sort": "date", "limit": 3, "page": 2},
    {"query": "Enercop"},
    {"query": "", "filters": {"theme": "Monnaie locale"}},
    {"query": "", "filters": {"year": "2021"}, "disjunctive": True},
    {"query": "monnaie"},
    {"query": "ressourcrie"},   # a typo of a word only pushed documents hold: the new segment's vocabulary
]


def _answers(searcher: Searcher) -> dict:
    """Everything a caller can ask, for the public and for private access."""
    answers = {}
    for private in (False, True):
        answers[private] = {
            "searches": [searcher.search(**{"limit": 10, **asked}, include_private=private).to_dict()
                         for asked in SEARCHES],
            "facets": searcher.facets(include_private=private),
            "suggest": searcher.suggest("ress", include_private=private),
            "documents": {k: v for k, v in searcher.stats(include_private=private).items() if k != "size_bytes"},
        }
    return answers


def _whoosh_facets(searcher: Searcher, private: bool) -> dict:
    """``{facet: {value: count}}`` over the live documents the caller may see, from Whoosh's matchers."""
    reader = searcher._searcher.reader()
    hidden = set() if private else set(reader.postings("private", True).all_ids()) if ("private", True) in reader else set()
    counts = {}
    for field in FACET_FIELDS:
        values = {value: len(set(reader.postings(field, value).all_ids()) - hidden) for value in reader.field_terms(field)}
        counts[field] = {value: count for value, count in values.items() if count}
    return counts


def _whoosh_date_order(searcher: Searcher) -> np.ndarray:
    """Each document's date (its own, else when first indexed), ranked, read from the whole index's columns."""
    reader = searcher._searcher.reader()
    columns = [list(reader.column_reader(name)) for name in ("date", "indexed_at")]
    dates = [next((c[doc] for c in columns if c[doc]), "") for doc in range(reader.doc_count_all())]
    rank = {value: i for i, value in enumerate(sorted(set(dates) - {""}))}
    return np.array([rank.get(d, -1) for d in dates])


def _kept_pairs(searcher: Searcher) -> dict:
    """The per-segment theme pairs the searcher holds, by segment identity."""
    postings = searcher._postings
    return {key: postings.kept.value(key, ("pairs", "theme"), _unread) for key in postings.keys}


def _unread():
    raise AssertionError("this segment's pairs should have been read by the search before")


def test_a_refreshed_searcher_answers_as_a_fresh_one_through_puts_updates_deletes_and_merges(index_dir):
    operations = [
        lambda: update_documents(index_dir, [pushed_document("ressourcerie", SCIC)]),
        # a private resource with a theme and a word no public resource has
        lambda: update_documents(index_dir, [pushed_document("monnaie", {
            "title": "Une monnaie locale citoyenne", "text": "La monnaie locale de Grenoble.", "private": True,
            "themes": ["Monnaie locale"], "date": "2022-02-01"})]),
        # a corpus document replaced: a deletion in the big segment and a new document
        lambda: update_documents(index_dir, [pushed_document(WEBINAR, {"title": "Marchés réservés", "text": "Réservés."})]),
        lambda: delete_documents(index_dir, ["ressourcerie"]),   # deletions only: no new segment
        *[lambda n=n: update_documents(index_dir, [pushed_document(f"fiche-{n}", {
            "title": f"Fiche {n} : ressourcerie à Lille", "text": f"Une ressourcerie en 2019, fiche {n}."})])
          for n in range(7)],                                     # enough segments for Whoosh to merge the small ones
        lambda: delete_documents(index_dir, ["monnaie", "fiche-3"]),
    ]
    reused = 0
    with Searcher(index_dir) as living:
        _answers(living)
        for operation in operations:
            before = _kept_pairs(living)
            operation()
            assert living.refresh()
            with Searcher(index_dir) as fresh:
                assert _answers(living) == _answers(fresh)
            for private in (False, True):
                assert {k: dict(v) for k, v in living.facets(private).items()} == _whoosh_facets(living, private)
            assert np.array_equal(living.date_keys(), _whoosh_date_order(living))
            for text in ("marchés réservés", "ressourcerie", "monnaie locale"):
                for private in (False, True):
                    found, expected = living.ranking(text, 30, private), reference_ranking(living, text, 30, private)
                    assert [i for i, _ in found] == [i for i, _ in expected]
                    assert [s for _, s in found] == pytest.approx([s for _, s in expected], rel=1e-9)
            after = _kept_pairs(living)
            reused += sum(after[key] is pairs for key, pairs in before.items() if key in after)
            if operation is operations[0]:
                assert living.search("ressourcrie").to_dict()["corrections"][0]["replacements"] == ["ressourcerie"]
        public = living.facets()["theme"]
    # the big segment at least was read once and kept through every generation
    assert reused >= len(operations)
    assert "Monnaie locale" not in public


def test_a_private_resource_never_counts_for_the_public_after_a_refresh(index_dir):
    with Searcher(index_dir) as living:
        assert "Monnaie locale" not in living.facets()["theme"]
        update_documents(index_dir, [pushed_document("monnaie", {
            "title": "Une monnaie locale", "text": "Monnaie locale.", "private": True, "themes": ["Monnaie locale"]})])
        assert living.refresh()
        assert "Monnaie locale" not in living.facets()["theme"]
        assert living.facets(include_private=True)["theme"]["Monnaie locale"] == 1
        assert living.search("monnaie").total == 0
        assert living.search("", filters={"theme": "Monnaie locale"}, include_private=True).total == 1
        assert "monnaie" not in " ".join(living.suggest("monn"))


def test_a_rebuild_that_draws_the_same_segment_id_is_not_taken_for_the_old_segment(tmp_path):
    """Whoosh draws segment ids from ``random``: two rebuilds from the same random state (a process forked
    for each) name their segments alike, with as many documents; the files tell them apart."""
    source, index = tmp_path / "docs.jsonl", tmp_path / "index"

    def build(word: str, theme: str) -> None:
        source.write_text("".join(json.dumps({"id": f"d{n}", "title": f"{word} {n}", "text": word, "theme": theme})
                                  + "\n" for n in range(3)), encoding="utf-8")
        random.seed(20)
        build_index([source], index, mapping=FieldMapping("id", "title", "text", (("theme", "theme"),)))

    build("coopérative", "Insertion")
    with Searcher(index) as living:
        before = living._postings.keys
        assert living.search("coopérative").total == 3 and "Insertion" in living.facets()["theme"]
        build("ressourcerie", "Réemploi")
        assert living.refresh()
        assert [key[:2] for key in living._postings.keys] == [key[:2] for key in before]   # same id, same size
        assert living.search("coopérative").total == 0 and living.search("ressourcerie").total == 3
        assert living.facets()["theme"] == {"Réemploi": 3}
