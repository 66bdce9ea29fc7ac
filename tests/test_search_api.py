"""The Python API on the real corpus: ranking, private resources, filters, pages."""

from __future__ import annotations

import pytest

from search import DocumentNotFoundError, InvalidFilterError, SearchError
from conftest import ENERCOOP, SIEG, WEBINAR


@pytest.mark.parametrize(
    "query, first",
    [
        ("marchés réservés article 37", WEBINAR),
        ("marches reserves", WEBINAR),
        ("Enercoop", ENERCOOP),
        ("co-construction des politiques publiques", "point-de-reperess-co-construction-des-politiques-publiques"),
        ("SCIC Clermont-Ferrand", "1ere-rencontre-auvergne-rhone-alpes-des-collectivites-autour-de-l-ess-clermont-f"),
    ],
)
def test_right_resource_first(searcher, query, first):
    assert searcher.search(query).hits[0].id == first


def test_snippet_highlights_the_original_words(searcher):
    hit = searcher.search("marches reserves").hits[0]
    snippet = hit.snippets[0]
    marked = {snippet.text[s:e] for s, e in snippet.highlights}
    assert marked & {"marchés", "réservés"}, marked


def test_private_resources_are_hidden_by_default(searcher):
    query = "services d'intérêt économique général"
    public = searcher.search(query)
    assert SIEG not in [h.id for h in public.hits]
    assert all(not h.private for h in public.hits)
    with_private = searcher.search(query, include_private=True)
    assert with_private.hits[0].id == SIEG and with_private.hits[0].private
    assert with_private.total == public.total + 1


def test_private_resources_are_absent_from_counts_and_show(searcher):
    assert searcher.search("").total == 9
    assert searcher.search("", include_private=True).total == 10
    assert sum(searcher.facets()["year"].values()) == 9
    with pytest.raises(DocumentNotFoundError):
        searcher.document(SIEG)
    assert searcher.document(SIEG, include_private=True).private


def test_empty_query_lists_everything_newest_first(searcher):
    results = searcher.search("", limit=20)
    dates = [h.date for h in results.hits]
    assert dates == sorted(dates, reverse=True)
    assert results.hits[0].year == "2022"


def test_filters_and_facet_counts(searcher):
    results = searcher.search("", filters={"year": "2018"})
    assert results.total == 3
    assert results.facets["year"] == {"2018": 3}
    assert {h.year for h in results.hits} == {"2018"}
    both = searcher.search("", filters={"year": ["2018", "2017"]})
    assert both.total == 3 + searcher.search("", filters={"year": "2017"}).total


def test_unknown_filter_is_an_error(searcher):
    with pytest.raises(InvalidFilterError, match="filtre inconnu"):
        searcher.search("ess", filters={"couleur": "bleu"})


def test_pagination_is_consistent(searcher):
    everything = [h.id for h in searcher.search("ESS", limit=100).hits]
    paged = [h.id for page in (1, 2, 3) for h in searcher.search("ESS", limit=3, page=page).hits]
    assert paged == everything[:9]
    assert searcher.search("ESS", limit=3).pages == -(-len(everything) // 3)


def test_bad_arguments(searcher):
    with pytest.raises(SearchError):
        searcher.search("ess", limit=0)
    with pytest.raises(SearchError):
        searcher.search("ess", page=0)


def test_no_hits_is_not_an_error(searcher):
    results = searcher.search("zzzinexistant")
    assert results.total == 0 and results.hits == ()


def test_to_dict_contract(searcher):
    data = searcher.search("marchés réservés").to_dict()
    assert {"query", "total", "page", "limit", "hits", "facets", "suggestion", "warnings"} <= set(data)
    hit = data["hits"][0]
    assert {"id", "title", "score", "snippet", "type", "year", "themes", "territories", "private", "url"} <= set(hit)
    assert set(data["facets"]) == {"type", "year", "theme", "territory"}


@pytest.mark.parametrize(("query", "total"), [("", 9), ("ESS", 8), ("territoire", 5), ("coopération", 3),
                                              ("marchés réservés", 4)])
def test_facet_counts_match_the_stored_values_of_every_hit(searcher, query, total):
    """Small hit sets (counted per document) and large ones (per value) give the true counts."""
    results = searcher.search(query, limit=100)
    assert results.total == total
    expected: dict[str, dict[str, int]] = {"type": {}, "year": {}, "theme": {}, "territory": {}}
    for hit in results.hits:
        for field, values in (("type", [hit.type]), ("year", [hit.year]), ("theme", hit.themes),
                              ("territory", hit.territories)):
            for value in filter(None, values):
                expected[field][value] = expected[field].get(value, 0) + 1
    assert len(results.hits) == total
    assert results.facets == expected


@pytest.mark.parametrize("value", ["Nord (59)", "59", "lille", "59000", "Hauts-de-France"])
def test_territory_filter_takes_codes_and_plain_names(searcher, value):
    assert [h.id for h in searcher.search("", filters={"territory": value}).hits] == [ENERCOOP]


def test_unknown_territory_finds_nothing(searcher):
    assert searcher.search("", filters={"territory": "Atlantide"}).total == 0


@pytest.mark.parametrize(("value", "years", "total"), [
    ("2017..2018", {"2017", "2018"}, 7), ("2018..", {"2018", "2019", "2022"}, 5), ("..2017", {"2017"}, 4),
    ("2020..2021", set(), 0),
])
def test_year_ranges(searcher, value, years, total):
    """The corpus has 4 public resources of 2017, 3 of 2018, one of 2019 and one of 2022."""
    results = searcher.search("", filters={"year": value}, limit=20)
    assert {h.year for h in results.hits} == years
    assert results.total == total


def test_year_counts_are_ordered_by_year_others_by_count(searcher):
    facets = searcher.facets()
    assert list(facets["year"]) == ["2022", "2019", "2018", "2017"]
    counts = list(facets["theme"].values())
    assert counts == sorted(counts, reverse=True)
