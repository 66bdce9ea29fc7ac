"""The scoring model (``search.ranking``): coordination, proximity, and scores equal to Whoosh's."""

from __future__ import annotations

import pytest
from whoosh.query import Or, Term

from indexer.schema import SCHEMA
from search import ranking


def test_coordination_keeps_the_share_of_words_present():
    scores, matched = ranking.combine([{1: 2.0, 2: 3.0}, {1: 1.0}], [])
    assert scores == {1: 3.0, 2: 1.5}
    assert matched == {1: 2, 2: 1}


def test_proximity_adds_only_to_documents_that_have_a_word():
    scores, _ = ranking.combine([{1: 1.0}, {1: 1.0, 2: 1.0}], [{1: 0.5, 3: 9.0}])
    assert scores == {1: 2.0 + ranking.PROXIMITY * 0.5, 2: 0.5}


def test_proximity_pairs_are_adjacent_distinct_words_in_each_text_field():
    queries = ranking.proximity_queries(["abandon", "post", "post", "chomag"], SCHEMA)
    assert [(q.fieldname, q.words) for q in queries] == [
        (field, pair)
        for pair in (["abandon", "post"], ["post", "chomag"])
        for field in ("title", "summary", "body")
    ]


@pytest.mark.parametrize("word", ["march", "reserv", "insert"])  # marchés, réservés, insertion
def test_scores_are_whooshs_own(searcher, word):
    whoosh = searcher._searcher
    query = Or([Term("title", word, boost=3.0), Term("body", word)])
    expected = {hit.docnum: hit.score for hit in whoosh.search(query, limit=None)}
    assert expected and ranking.scores(whoosh, query) == pytest.approx(expected)


def test_words_side_by_side_rank_first(searcher):
    apart = searcher.search("réservés marchés")
    together = searcher.search("marchés réservés")
    assert {h.id for h in apart.hits} == {h.id for h in together.hits}
    assert together.hits[0].score > apart.hits[0].score  # "marchés réservés" is written in that order
