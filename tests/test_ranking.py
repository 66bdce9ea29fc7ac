"""The array ranker (``search.ranking``) against the plain reference (Whoosh's own matchers).

Random small French collections and random queries (words, phrases,
``OU``, negations, prefixes, typos, acronyms of the thesaurus): the array
path and ``tests/reference_ranking.py`` must return the same ids in the
same order with scores equal to 1e-9 relative, for the public and for a
caller with private access. Then the model's parts on the real corpus.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from indexer import FieldMapping, build_index, update_index
from search import Searcher
from search.nodes import AnyOf, Terms
from search.plan import plan_search
from search.ranking import rarity

from reference_ranking import reference_order, reference_ranking

WORDS = (
    "marchés réservés article 37 art. insertion emploi emplois économie sociale et solidaire ESS SCIC "
    "coopérative co-construction collectivités Lille Enercoop commande publique de la les des du travail "
    "travailleurs handicapés contrat salarié préavis absence congé l'ESS d'intérêt général politiques"
).split()
QUERY_PIECES = WORDS + ["OU", "-insertion", "constru*", "march*", '"marchés réservés"', '"économie sociale"', "Enercop"]

KINDS = ["Étude", "Guide", "Conférence en ligne"]
documents = st.lists(
    st.fixed_dictionaries({
        "title": st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join),
        "text": st.lists(st.sampled_from(WORDS), min_size=0, max_size=60).map(" ".join),
        "private": st.sampled_from(["", "", "", "Oui"]),
        "kind": st.sampled_from(KINDS),
        "date": st.sampled_from(["", "2017", "2018-06", "2018-06-05", "2022-07"]),
    }),
    min_size=3, max_size=25,
)
queries = st.lists(st.lists(st.sampled_from(QUERY_PIECES), min_size=1, max_size=4).map(" ".join), min_size=1, max_size=8)
searches = st.tuples(
    st.lists(st.sampled_from(QUERY_PIECES), min_size=1, max_size=3).map(" ".join),
    st.lists(st.sampled_from(KINDS), max_size=2), st.integers(1, 3), st.sampled_from(["relevance", "date"]),
)
MAPPING = FieldMapping(
    "id", "title", "text", (("private", "private"), ("type", "kind"), ("date", "date")),
)


def _write(docs: list[dict], source: Path) -> Path:
    """The JSONL of ``docs`` (a mapped date gives the year: the metadata step derives it)."""
    with source.open("w", encoding="utf-8") as f:
        for number, doc in enumerate(docs):
            record = {"id": f"d{number}", **doc}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return source


def _index(docs: list[dict], where: Path) -> Path:
    build_index([_write(docs, where / "docs.jsonl")], where / "index", mapping=MAPPING)
    return where / "index"


def _updated(docs: list[dict], where: Path) -> Path:
    """An index of ``docs`` in two segments with deletions: built, then a third of them changed or removed."""
    index_dir = _index(docs, where)
    changed = [{**d, "text": d["text"] + " travail"} if n % 3 == 1 else d for n, d in enumerate(docs) if n % 3 != 2]
    update_index([_write(changed, where / "docs.jsonl")], index_dir, mapping=MAPPING, prune=True)
    return index_dir


def _same(found: list[tuple[str, float]], expected: list[tuple[str, float]]) -> None:
    """Same scores in the same order; ids equal, except among scores equal to 1e-9 (summation order)."""
    assert [s for _, s in found] == pytest.approx([s for _, s in expected], rel=1e-9)
    for (found_id, score), (expected_id, _) in zip(found, expected):
        ties = {i for i, s in expected if s == pytest.approx(score, rel=1e-9)}
        assert found_id == expected_id or found_id in ties


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=documents, texts=queries, private=st.booleans())
def test_array_ranking_equals_the_reference(docs, texts, private):
    with tempfile.TemporaryDirectory() as tmp, Searcher(_index(docs, Path(tmp))) as searcher:
        for text in texts:
            if plan_search(text, searcher.view(private), {}).browse:
                continue
            _same(searcher.ranking(text, depth=30, include_private=private),
                  reference_ranking(searcher, text, 30, private))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=documents, asked=st.lists(searches, min_size=1, max_size=6), private=st.booleans())
def test_pages_filters_and_date_order_on_segments_with_deletions_equal_the_reference(docs, asked, private):
    with tempfile.TemporaryDirectory() as tmp, Searcher(_updated(docs, Path(tmp))) as searcher:
        # What the test is named for: the update left a second segment and deleted documents.
        assert len(searcher._postings.segments) >= 2
        assert searcher._searcher.doc_count_all() > searcher._searcher.doc_count()
        for text, kinds, page, sort in asked:
            if plan_search(text, searcher.view(private), {}).browse:
                continue
            filters = {"type": kinds} if kinds else {}
            results = searcher.search(text, filters=filters, limit=3, page=page, sort=sort, include_private=private)
            order = reference_order(searcher, text, filters, private, by_date=sort == "date")
            expected = [(searcher._searcher.stored_fields(d)["id"], s) for d, s in order[(page - 1) * 3:page * 3]]
            assert results.total == len(order)
            _same([(h.id, h.score) for h in results.hits], expected)


def test_equal_scores_keep_index_order(tmp_path):
    """Five copies of one resource score alike: they come in index order, on every page."""
    docs = [{"title": "marchés réservés", "text": "article 37", "private": "", "kind": "Guide", "date": ""}] * 5
    with Searcher(_index(docs, tmp_path)) as searcher:
        pages = [[h.id for h in searcher.search("marchés article", limit=2, page=p).hits] for p in (1, 2, 3)]
        assert pages == [["d0", "d1"], ["d2", "d3"], ["d4"]]


@pytest.mark.parametrize("text", [
    "marchés réservés article 37", "art 37 marches reserves", "économie sociale et solidaire", "ESS",
    "coconstruction", "co-construction des politiques", "Enercop", '"marchés réservés" SAUF insertion',
    "(SCIC OU coopérative) Clermont", "constru*", "insertion par l'activité économique", "titre:SCIC emploi",
])
@pytest.mark.parametrize("private", [False, True])
def test_the_real_corpus_ranks_as_the_reference(searcher, text, private):
    _same(searcher.ranking(text, depth=100, include_private=private), reference_ranking(searcher, text, 100, private))


def test_coordination_keeps_the_share_of_the_words_idf_present(searcher):
    """A resource with one of two words keeps that word's share of the query's idf: without the rare
    word (Enercoop, in one resource) it keeps less than half its score (``matched / n`` kept half),
    and the resource with both comes first."""
    both = dict(searcher.ranking("ESS Enercoop"))
    alone = dict(searcher.ranking("ESS"))
    lille = "fiche-deniche-pour-vous-n-4-ville-de-lille-enercoop"  # the only one with Enercoop
    others = [d for d in alone if d != lille]
    searched = searcher.stats()["documents"]
    ess, enercoop = rarity(len(alone), searched), rarity(1, searched)
    assert len(others) >= 5 and all(both[d] == pytest.approx(alone[d] * ess / (ess + enercoop), rel=1e-12)
                                    for d in others)
    assert ess / (ess + enercoop) < 0.4
    assert both[lille] > max(both[d] for d in others)


def test_proximity_pairs_are_adjacent_distinct_words_in_each_text_field(searcher):
    plan = plan_search("abandon de poste poste chômage", searcher.view(), {})
    assert [(p.field, p.terms) for p in plan.pairs] == [
        (field, pair)
        for pair in (("abandon", "post"), ("post", "chomag"))
        for field in ("title", "summary", "body")
    ]


def test_a_word_is_searched_in_each_text_field_with_its_boost(searcher):
    plan = plan_search("insertion", searcher.view(), {})
    assert plan.clauses == [AnyOf((Terms("title", ("insert",), 3.0), Terms("summary", ("insert",), 1.5),
                                   Terms("body", ("insert",), 1.0)))]


def test_words_side_by_side_rank_first(searcher):
    apart = searcher.search("réservés marchés")
    together = searcher.search("marchés réservés")
    assert {h.id for h in apart.hits} == {h.id for h in together.hits}
    assert together.hits[0].score > apart.hits[0].score  # "marchés réservés" is written in that order


def test_a_negation_beside_ou_selects_without_adding_to_a_score(tmp_path):
    """Found by Hypothesis: the reference scored ``-insertion`` 1 for every document without the word."""
    docs = [{"title": "marchés", "text": "", "private": "", "kind": "Étude", "date": ""} for _ in range(3)]
    with Searcher(_index(docs, tmp_path)) as searcher:
        plain = searcher.ranking("marchés", depth=5)
        for text in ("-insertion OU marchés", "marchés OU -insertion"):
            assert searcher.ranking(text, depth=5) == plain == reference_ranking(searcher, text, 5), text
