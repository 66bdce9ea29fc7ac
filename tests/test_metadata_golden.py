"""The metadata of the 10 RTES resources, pinned (tests/golden/metadata.json), and the filters they feed."""

from __future__ import annotations

import json
from pathlib import Path

from indexer.ingest import iter_documents
from indexer.metadata import extract_metadata

from conftest import CORPUS
from conftest import ENERCOOP

GOLDEN = Path(__file__).parent / "golden" / "metadata.json"
FIELDS = ("id", "type", "collection", "year", "date", "themes", "territories")


def test_metadata_of_the_ten_resources_matches_the_golden_file():
    found = []
    for doc in iter_documents([CORPUS], None):
        data = extract_metadata(doc).to_dict()
        found.append({name: data[name] for name in FIELDS})
    assert found == json.loads(GOLDEN.read_text("utf-8"))


def test_territory_filter_finds_the_lille_fiche(searcher):
    results = searcher.search("", filters={"territory": "Hauts-de-France"})
    assert [h.id for h in results.hits] == [ENERCOOP]
    assert results.hits[0].territories == ("Hauts-de-France", "Nord (59)", "Lille (59)")


def test_year_2018_is_exactly_three_resources(searcher):
    results = searcher.search("", filters={"year": "2018"})
    assert sorted(h.id for h in results.hits) == [
        "1ere-rencontre-auvergne-rhone-alpes-des-collectivites-autour-de-l-ess-clermont-f",
        "la-co-construction-des-politiques-publiques-conference-en-ligne-4-decembre-2018",
        "retour-sur-la-conference-en-ligne-marches-reserves-du-5-juin-2018",
    ]


def test_theme_commande_publique(searcher):
    results = searcher.search("", filters={"theme": "commande publique"})
    assert sorted(h.id for h in results.hits) == [
        ENERCOOP,
        "points-de-reperess-du-rtes-les-modes-de-contractualisation-collectivites-acteurs",
        "points-de-reperess-du-rtes-marches-publics-ess",
        "retour-sur-la-conference-en-ligne-marches-reserves-du-5-juin-2018",
    ]


def test_private_resource_type_is_not_counted(searcher):
    assert "Fiche technique" not in searcher.facets()["type"]
    assert searcher.facets(include_private=True)["type"]["Fiche technique"] == 1


def test_a_missing_value_is_not_a_facet_value(searcher):
    facets = searcher.facets(include_private=True)
    assert "" not in facets["year"] and "" not in facets["type"]
    assert searcher.document("les-services-d-interet-economique-general", include_private=True).year == ""
