"""What people meet every day (issue 14), through the API on the real corpus: forgiving
filters, accurate warnings, corrections and completions they would accept, private values
never echoed, the facets a page shows, and the date order."""

from __future__ import annotations

import re

import pytest

from search import InvalidFilterError

from conftest import ENERCOOP, MARCHES, SIEG, WEBINAR
from test_query_search import ids


@pytest.mark.parametrize("field, typed, stored", [
    ("type", "conference", "Conférence en ligne"),
    ("type", "conférence en ligne", "Conférence en ligne"),
    ("type", "étude", "Étude"),
    ("theme", "Commande publique", "commande publique"),
    ("theme", "scic", "coopératives et SCIC"),
    ("territory", "59", "Nord (59)"),
    ("territory", "lille", "Lille (59)"),
    ("year", "2017..2018", "2017"),
])
def test_option_filters_resolve_as_the_query_prefixes_do(searcher, field, typed, stored):
    by_option = searcher.search("", filters={field: typed}, limit=20)
    prefix = {"type": "type", "theme": "thème", "territory": "territoire", "year": "année"}[field]
    by_prefix = searcher.search(f'{prefix}:"{typed}"', limit=20)
    assert by_option.total > 0 and stored in by_option.filters[field]
    assert [h.id for h in by_option.hits] == [h.id for h in by_prefix.hits]
    assert by_option.warnings == () and by_prefix.warnings == ()


def test_a_filter_value_matching_nothing_says_so_in_french_with_the_closest_values(searcher):
    results = searcher.search("", filters={"type": "étude de cas", "year": "1990"})
    assert results.total == 0
    assert results.warnings == (
        "aucune ressource avec type « étude de cas » (valeurs proches : Étude, Points de RepèrESS, Retour de rencontre)",
        "aucune ressource avec année « 1990 » (valeurs proches : 2017, 2018, 2019)",
    )


@pytest.mark.parametrize("field, typed, stored", [
    ("type", "études", "Étude"),                              # a plural
    ("type", "conferences", "Conférence en ligne"),           # a plural without accents
    ("type", "points de repères", "Points de RepèrESS"),      # the words, one a typo away
    ("theme", "outre mer", "outre-mer"),                      # a space for the hyphen
    ("theme", "marchés publics", "commande publique"),        # through the thesaurus
    ("territory", "38000", "Grenoble-Alpes-Métropole"),       # Grenoble's postal code: what "grenoble" finds
    ("territory", "38185", "Grenoble-Alpes-Métropole"),       # Grenoble's INSEE code
])
def test_filter_values_people_type_find_the_stored_value(searcher, field, typed, stored):
    by_option = searcher.search("", filters={field: typed}, limit=20)
    assert by_option.filters[field] == (stored,) and by_option.warnings == ()
    assert [h.id for h in by_option.hits] == [h.id for h in searcher.search("", filters={field: stored}, limit=20).hits]
    prefix = {"type": "type", "theme": "thème", "territory": "territoire"}[field]
    assert [h.id for h in searcher.search(f'{prefix}:"{typed}"', limit=20).hits] == [h.id for h in by_option.hits]


@pytest.mark.parametrize("year, message", [
    ("abc", "année invalide : « abc »"),
    ("2018..2017", "intervalle d'années inversé : « 2018..2017 » (attendu : 2017..2018)"),
])
def test_a_year_that_is_not_one_is_a_usage_error_naming_the_filter(searcher, year, message):
    with pytest.raises(InvalidFilterError, match=re.escape(message)) as raised:
        searcher.search("", filters={"year": year})
    assert raised.value.param == "year"


def test_a_year_range_in_the_query_gives_no_false_warning(searcher):
    results = searcher.search("année:2017..2019")
    assert results.warnings == () and results.filters == {"year": ("2017", "2018", "2019")}
    assert results.total == searcher.search("", filters={"year": "2017..2019"}).total == 8


@pytest.mark.parametrize("query, field, typed", [
    ("type:fiche", "type", "fiche"), ("theme:droit", "theme", "droit"), ("thème:européen", "theme", "européen"),
])
def test_facet_values_only_a_private_resource_carries_are_never_echoed(searcher, query, field, typed):
    public = searcher.search(query)
    assert public.total == 0 and public.filters == {field: (typed,)}
    assert public.warnings[0].startswith(f"aucune ressource avec {'type' if field == 'type' else 'thème'} « {typed} »")
    private = searcher.search(query, include_private=True)
    assert [h.id for h in private.hits] == [SIEG] and private.filters[field] != (typed,) and private.warnings == ()


@pytest.mark.parametrize("query, warning", [
    ("type:", "champ « type » sans valeur, ignoré (position 1)"),
    ("titre:", "champ « titre » sans valeur, ignoré (position 1)"),
    ("*", "aucun mot à chercher : une troncature demande au moins une lettre avant « * » (ex. constru*)"),
    ("🙂", "aucun mot à chercher : « 🙂 » ne contient ni lettre ni chiffre"),
    ("-", "signe ou opérateur sans terme à droite, ignoré (position 1)"),
    ("le la", "aucun mot à chercher : les mots très courants (le, de, et…) sont ignorés"),
])
def test_what_cannot_be_searched_gets_an_accurate_warning(searcher, query, warning):
    assert searcher.search(query).warnings == (warning,)


def test_a_word_written_only_in_another_form_is_no_typo(searcher):
    results = searcher.search("emploi")  # the corpus writes "emplois"
    assert results.total >= 1 and results.warnings == () and results.suggestion is None
    assert results.corrections == ()
    assert ids(searcher, "emploi") == ids(searcher, "emplois")


def test_field_names_are_never_spell_corrected(searcher):
    results = searcher.search("auteur:x marchés")
    assert results.suggestion is None and results.corrections == ()
    assert results.warnings[0] == "champ inconnu « auteur » : cherché comme un mot (position 1)"


def test_a_page_beyond_the_last_says_so(searcher):
    results = searcher.search("ESS", limit=5, page=9)
    assert results.hits == () and results.pages == 2
    assert "la page 9 est au-delà de la dernière page (2)" in results.warnings


def test_similar_resources_page_like_search(searcher):
    first, second = (searcher.similar(WEBINAR, limit=2, page=p) for p in (1, 2))
    assert first.total == second.total > 2 and not {h.id for h in first.hits} & {h.id for h in second.hits}


@pytest.mark.parametrize("typed, first", [
    ("co-con", "co-construction"),
    ("marchés ré", "marchés réservés"),
    ("l'ess", "l'ESS"),
    ("Ener", "Enercoop"),
])
def test_completions_are_the_word_being_typed_as_the_corpus_writes_it(searcher, typed, first):
    assert searcher.suggest(typed)[0] == first


@pytest.mark.parametrize("typed, never", [
    ("co-con", {"co-conditions", "co-Connaissances", "co-Conseil"}),   # parts glued to a word being typed
    ("marchés ré", {"marchés Retrouvez", "marchés Région"}),            # never written after "marchés"
])
def test_completions_people_would_not_accept_are_not_offered(searcher, typed, never):
    assert not never & set(searcher.suggest(typed, limit=10))


def test_stop_words_are_never_offered_as_completions(searcher):
    found = searcher.suggest("Les Services d", limit=10)
    assert found and not {s.rsplit(" ", 1)[-1].lower() for s in found} & {"de", "du", "des", "d"}


def test_a_ticked_facet_keeps_its_other_values_on_offer(searcher):
    """``disjunctive``: the counts of a facet with filter values ignore that facet's own filter."""
    ticked = searcher.search("", filters={"year": "2018"}, disjunctive=True)
    everything = searcher.search("")
    assert ticked.total == 3 and ticked.facets["year"] == everything.facets["year"]
    assert ticked.facets["type"] == searcher.search("", filters={"year": "2018"}).facets["type"]
    words = searcher.search("marchés", filters={"type": "Conférence en ligne"}, disjunctive=True)
    assert words.facets["type"] == searcher.search("marchés").facets["type"]


def test_date_order_is_newest_first_with_ties_by_relevance(searcher):
    dated = searcher.search("marchés", sort="date").hits
    assert [h.id for h in dated] == [MARCHES, WEBINAR, ENERCOOP, "points-de-reperess-du-rtes-les-modes-de-contractualisation-collectivites-acteurs"]
    assert [h.date for h in dated] == sorted((h.date for h in dated), reverse=True)
    browse = searcher.search("", limit=20).hits
    assert browse[0].id == MARCHES and [h.date for h in browse] == sorted((h.date for h in browse), reverse=True)


@pytest.mark.parametrize("query, total", [("-insertion", 8), ("NOT ESS", 1), ("-ESS -insertion", 1)])
def test_a_query_of_exclusions_only_browses_the_rest_without_warning(searcher, query, total):
    results = searcher.search(query)
    assert results.total == total and results.warnings == ()


def test_a_prefix_of_stop_words_only_finds_nothing_and_says_why(searcher):
    results = searcher.search("aux*")
    assert results.total == 0
    assert results.warnings == ("aucun mot à chercher : les mots très courants (le, de, et…) sont ignorés",)


@pytest.mark.parametrize("typed, first", [
    ("-ins", "-insertion"), ("ESS -ins", "ESS -insertion"), ("(coo", "(coopération"), ("titre:coo", "titre:coopération"),
])
def test_completions_keep_what_is_typed_before_the_word(searcher, typed, first):
    assert first.casefold() in {s.casefold() for s in searcher.suggest(typed, limit=10)}


@pytest.mark.parametrize("module", ["search.facet_values", "search.common_words", "search.typos"])
def test_docstring_examples_of_the_planner_helpers(module):
    import doctest
    import importlib

    failures, tried = doctest.testmod(importlib.import_module(module))
    assert tried > 0 and failures == 0
