"""The query language, typo tolerance, suggestions and sorting through the API, on the real corpus."""

from __future__ import annotations

import pytest

from search import QuerySyntaxError
from conftest import CITEGO, CLERMONT, COCONST_CONF, COCONST_FICHE, ENERCOOP, MARCHES, SIEG, WEBINAR


def ids(searcher, query, **kwargs):
    return [h.id for h in searcher.search(query, limit=20, **kwargs).hits]


def test_phrase_excluding_a_word(searcher):
    assert set(ids(searcher, "marchés réservés")[:2]) == {WEBINAR, MARCHES}  # both words, before "marchés" alone
    assert WEBINAR in ids(searcher, "insertion")
    assert ids(searcher, '"marchés réservés" SAUF insertion') == [MARCHES]
    assert ids(searcher, '"marchés réservés" -insertion') == [MARCHES]


def test_exact_phrase_keeps_stop_words(searcher):
    assert set(ids(searcher, '"construction des politiques"')) == {COCONST_FICHE, COCONST_CONF}
    assert ids(searcher, '"construction politiques"') == []


def test_or_is_the_union(searcher):
    union = set(ids(searcher, "co-construction")) | set(ids(searcher, "concertation"))
    assert set(ids(searcher, "co-construction OU concertation")) == union
    assert CITEGO in union and COCONST_FICHE in union


def test_title_prefix_restricts_the_field(searcher):
    assert ids(searcher, "titre:SCIC") == [CLERMONT]
    assert set(ids(searcher, "titre:marchés")) == {MARCHES, WEBINAR}
    assert ids(searcher, "titre:insertion") == [] and ids(searcher, "insertion") == [WEBINAR]


def test_prefix_search_expands_over_real_words(searcher):
    found = set(ids(searcher, "constru*"))
    assert found == set(ids(searcher, "construction")) | set(ids(searcher, "construire"))
    assert found == {COCONST_FICHE, COCONST_CONF}
    assert ids(searcher, "zzyx*") == []


@pytest.mark.parametrize("query, field, value", [
    ("type:etude", "type", "Étude"),
    ("type:Étude", "type", "Étude"),
    ("année:2018", "year", "2018"),
    ("thème:scic", "theme", "coopératives et SCIC"),
    ('territoire:"grand est"', "territory", "Grand Est"),
])
def test_facet_prefixes_are_filters_matched_without_case_or_accents(searcher, query, field, value):
    results = searcher.search(query)
    assert results.filters == {field: (value,)}
    assert results.total == searcher.search("", filters={field: value}).total > 0
    assert results.sort == "date"  # a filter alone is browsing


def test_facet_prefix_with_words(searcher):
    assert ids(searcher, "marchés année:2018") == [WEBINAR]
    assert set(ids(searcher, "marchés année:2018 OU année:2022")) == {MARCHES, WEBINAR}
    assert set(ids(searcher, "marchés (année:2018 OU année:2022)")) == {MARCHES, WEBINAR}


def test_unknown_facet_value_finds_nothing_and_says_so(searcher):
    results = searcher.search("type:webinaire")
    assert results.total == 0
    assert "aucune ressource avec type « webinaire »" in results.warnings[0]


def test_unparsable_query_is_searched_as_words_with_a_warning(searcher):
    results = searcher.search('"marchés réservés')
    assert {h.id for h in results.hits[:2]} == {WEBINAR, MARCHES}
    assert results.warnings[0] == "guillemet non fermé : cherché comme des mots (position 1)"


def test_strict_raises_with_the_position(searcher):
    with pytest.raises(QuerySyntaxError) as error:
        searcher.search("marchés (réservés", strict=True)
    assert error.value.position == 8
    assert searcher.search("marchés réservés", strict=True).warnings == (
        "2 ressource(s) avec tous les termes, 2 avec une partie d'entre eux",
    )


def test_most_words_fallback(searcher):
    results = searcher.search("marchés réservés Enercoop zzzinexistant")
    assert results.warnings == ("aucune ressource ne contient tous les termes : au mieux 2 sur 4",)
    assert {h.id for h in results.hits[:3]} == {WEBINAR, MARCHES, ENERCOOP}
    assert results.total == 4  # then the one with "marchés" alone
    three = searcher.search("marchés réservés insertion zzzinexistant")
    assert three.hits[0].id == WEBINAR and "au mieux 3 sur 4" in three.warnings[0]


def test_only_stop_words_finds_nothing_and_says_why(searcher):
    results = searcher.search("le la de")
    assert results.total == 0 and "aucun mot à chercher" in results.warnings[0]


def test_a_missing_word_is_corrected_and_said(searcher):
    results = searcher.search("Enercop")
    assert [h.id for h in results.hits] == [ENERCOOP]
    assert results.suggestion == "Enercoop"
    assert results.warnings == ("« Enercop » est introuvable : recherché comme « Enercoop »",)
    assert results.to_dict()["corrections"] == [{"word": "Enercop", "replacements": ["Enercoop"], "missing": True}]


@pytest.mark.parametrize("query, expected", [("socialle", "sociale"), ("artcle", "article"), ("Enercop", "Enercoop")])
def test_real_typos_are_still_corrected(searcher, query, expected):
    results = searcher.search(query)
    assert results.suggestion == expected and results.total > 0


def test_a_common_french_word_is_never_corrected_into_a_proper_noun(searcher):
    results = searcher.search("tiers")   # the corpus has only the town of Thiers, one edit away
    assert results.total == 0 and results.corrections == () and results.suggestion is None
    assert results.warnings == ("« tiers » ne figure dans aucune ressource",)
    two = searcher.search("tiers lieux")
    assert two.suggestion is None and "« tiers » ne figure dans aucune ressource" in two.warnings
    assert not any("Thiers" in (h.title + h.snippet) for h in two.hits)


def test_swapped_letters_are_one_typo(searcher):
    assert searcher.search("Enecroop").suggestion == "Enercoop"


def test_suggestion_keeps_the_rest_of_the_query(searcher):
    results = searcher.search("marchés réservés artcle 37")
    assert results.suggestion == "marchés réservés article 37"
    assert results.hits[0].id == WEBINAR


@pytest.mark.parametrize("query", ["SCCI", "ESSS", "20188", "Lile"])
def test_no_typo_tolerance_for_acronyms_numbers_and_short_words(searcher, query):
    results = searcher.search(query)
    assert results.corrections == () and results.suggestion is None


def test_a_rare_word_ranks_above_its_frequent_neighbour(searcher):
    results = searcher.search("acheteurs")
    assert results.hits[0].id == WEBINAR  # the only resource with the word as typed
    assert results.total > 1 and results.suggestion == "acteurs"
    assert [c.missing for c in results.corrections] == [False]


def test_private_words_never_leak_through_corrections(searcher):
    # "informations" and "disponibles" are written only in the private resource.
    for typo, word in (("informatoins", "informations"), ("disponibels", "disponibles")):
        public = searcher.search(typo)
        assert public.total == 0 and public.suggestion is None and public.corrections == ()
        private = searcher.search(typo, include_private=True)
        assert private.suggestion == word and private.hits[0].id == SIEG


def test_sort_by_date_newest_first_ties_by_relevance(searcher):
    by_date = searcher.search("ESS", sort="date", limit=20)
    by_score = {h.id: h.score for h in searcher.search("ESS", limit=20).hits}
    keys = [(h.date, by_score[h.id]) for h in by_date.hits]
    assert keys == sorted(keys, reverse=True)
    assert by_date.sort == "date" and {h.id for h in by_date.hits} == set(by_score)


def test_relevance_order_is_stable(searcher):
    runs = {tuple(ids(searcher, "ESS collectivités")) for _ in range(3)}
    assert len(runs) == 1
    scores = [h.score for h in searcher.search("ESS collectivités", limit=20).hits]
    assert scores == sorted(scores, reverse=True)


def test_correction_keys_in_json(searcher):
    data = searcher.search("marchés").to_dict()
    assert data["corrections"] == [] and data["suggestion"] is None
