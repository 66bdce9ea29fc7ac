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

from indexer import FieldMapping, build_index
from search import Searcher
from search.nodes import AnyOf, Terms
from search.plan import plan_search
from search.ranking import PROXIMITY

from reference_ranking import reference_ranking

WORDS = (
    "marchés réservés article 37 art. insertion emploi emplois économie sociale et solidaire ESS SCIC "
    "coopérative co-construction collectivités Lille Enercoop commande publique de la les des du travail "
    "travailleurs handicapés contrat salarié préavis absence congé l'ESS d'intérêt général politiques"
).split()
QUERY_PIECES = WORDS + ["OU", "-insertion", "constru*", "march*", '"marchés réservés"', '"économie sociale"', "Enercop"]

documents = st.lists(
    st.fixed_dictionaries({
        "title": st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join),
        "text": st.lists(st.sampled_from(WORDS), min_size=0, max_size=60).map(" ".join),
        "private": st.sampled_from(["", "", "", "Oui"]),
    }),
    min_size=3, max_size=25,
)
queries = st.lists(st.lists(st.sampled_from(QUERY_PIECES), min_size=1, max_size=4).map(" ".join), min_size=1, max_size=8)


def _index(docs: list[dict], where: Path) -> Path:
    source = where / "docs.jsonl"
    with source.open("w", encoding="utf-8") as f:
        for number, doc in enumerate(docs):
            f.write(json.dumps({"id": f"d{number}", **doc}, ensure_ascii=False) + "\n")
    build_index([source], where / "index", mapping=FieldMapping("id", "title", "text", (("private", "private"),)))
    return where / "index"


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


@pytest.mark.parametrize("text", [
    "marchés réservés article 37", "art 37 marches reserves", "économie sociale et solidaire", "ESS",
    "coconstruction", "co-construction des politiques", "Enercop", '"marchés réservés" SAUF insertion',
    "(SCIC OU coopérative) Clermont", "constru*", "insertion par l'activité économique", "titre:SCIC emploi",
])
@pytest.mark.parametrize("private", [False, True])
def test_the_real_corpus_ranks_as_the_reference(searcher, text, private):
    _same(searcher.ranking(text, depth=100, include_private=private), reference_ranking(searcher, text, 100, private))


def test_coordination_keeps_the_share_of_words_present(searcher):
    """A resource with one of two words keeps half its score (``matched / n``)."""
    both = dict(searcher.ranking("ESS Enercoop"))
    alone = dict(searcher.ranking("ESS"))
    lille = "fiche-deniche-pour-vous-n-4-ville-de-lille-enercoop"  # the only one with Enercoop
    others = [d for d in alone if d != lille]
    assert len(others) >= 5 and all(both[d] == pytest.approx(alone[d] / 2, rel=1e-12) for d in others)


def test_proximity_pairs_are_adjacent_distinct_words_in_each_text_field(searcher):
    plan = plan_search("abandon de poste poste chômage", searcher.view(), {})
    assert [(p.field, p.terms) for p in plan.pairs] == [
        (field, pair)
        for pair in (("abandon", "post"), ("post", "chomag"))
        for field in ("title", "summary", "body")
    ]
    assert PROXIMITY == 1.0


def test_a_word_is_searched_in_each_text_field_with_its_boost(searcher):
    plan = plan_search("insertion", searcher.view(), {})
    assert plan.clauses == [AnyOf((Terms("title", ("insert",), 3.0), Terms("summary", ("insert",), 1.5),
                                   Terms("body", ("insert",), 1.0)))]


def test_words_side_by_side_rank_first(searcher):
    apart = searcher.search("réservés marchés")
    together = searcher.search("marchés réservés")
    assert {h.id for h in apart.hits} == {h.id for h in together.hits}
    assert together.hits[0].score > apart.hits[0].score  # "marchés réservés" is written in that order
