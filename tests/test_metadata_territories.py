"""Territories on real sentences: what must be found, what must not, and the hierarchy."""

from __future__ import annotations

import importlib.util

import pytest

from indexer.documents import Document
from indexer.metadata import (
    extract_metadata, resolve_territory, territories_by_level, territory_level, territory_parents,
)

from conftest import ROOT

LILLE = ("Hauts-de-France", "Nord (59)", "Lille (59)")


def places(body: str, title: str = "") -> tuple[str, ...]:
    return extract_metadata(Document(id="t", title=title, body=body)).territories


@pytest.mark.parametrize("body", [
    "Zone d'action : Commune de Lille.",
    "59000 LILLE",
    "Marché à procédure adaptée «à haute valeur environnementale» de la Ville de Lille avec Enercoop",
])
def test_lille_rolls_up_to_nord_and_hauts_de_france(body):
    assert places(body) == LILLE


@pytest.mark.parametrize("body", [
    "Plus de 90 personnes d'Auvergne Rhöne Alpes, et d'un peu plus loin, élus et agents de collectivités",
    "1ère rencontre Auvergne Rhône Alpes des collectivités autour de l’ESS",
    "co-organisée par le RTES, la CRESS Auvergne-Rhône-Alpes et Clermont Auvergne Métropole",
    "Armand Rosenberg, président de la CRESS AuRA",
])
def test_region_variants(body):
    assert places(body)[0] == "Auvergne-Rhône-Alpes"


def test_grand_est_with_a_hyphen():
    assert places("La Région Grand-Est n'a pas développé de marché réservé aux entreprises de l'ESS") == ("Grand Est",)


def test_the_mayor_of_thiers_is_the_commune():
    body = "Stéphane Rodier, adjointe au Maire de Thiers et vice-président du PNR Livradois-Forez"
    assert places(body) == ("Auvergne-Rhône-Alpes", "Puy-de-Dôme (63)", "Thiers (63)")


@pytest.mark.parametrize("body", [
    "Adolphe Thiers fut le premier président de la Troisième République.",
    "Florence Jany-Catrice, professeure à l’Université de Lille, responsable du Master 2 APIESS",
    "Danièle Demoustier, chercheuse à l'IEP de Grenoble",
    "Agnès Thouvenot, élue en charge de l'ESS à Villeurbanne",
    "Une jurisprudence du Tribunal Administratif de Marseille de février 2018 confirme ainsi la légitimité",
    "Nice, Bar et Orange sont aussi des mots ; la société Orange a ouvert un bar à Nice.",
    "Le Royaume-Uni et la Grande-Bretagne.",
    "Laurent Fraisse, socio-économiste, coordinateur de l’étude",
])
def test_no_place_without_a_cue(body):
    assert places(body) == ()


def test_multiword_commune_and_metropole_need_no_cue():
    title = "1ère rencontre des collectivités autour de l’ESS : Clermont-Ferrand, le 25 juin 2018"
    assert places("", title) == ("Auvergne-Rhône-Alpes", "Puy-de-Dôme (63)", "Clermont-Ferrand (63)")
    assert places("Les démarches de Grenoble Alpes Métropole ont été présentées") == (
        "Auvergne-Rhône-Alpes", "Isère (38)", "Grenoble-Alpes-Métropole")


def test_department_code_and_epci_cue():
    body = ("2 communes ou intercommunalités, la Communauté de communes Auberive Vingeanne et Montsaugeonnais (52) "
            "en milieu rural, et la ville de Sceaux (92) en région parisienne.")
    assert places(body) == (
        "Grand Est", "Île-de-France", "Haute-Marne (52)", "Hauts-de-Seine (92)",
        "CC d'Auberive Vingeanne et Montsaugeonnais", "Sceaux (92)",
    )


def test_department_after_cue_and_corpus_misspelling():
    body = "(Bretagne, département Ille-et-Villaine et Rennes Métropole ; Nouvelle-Aquitaine, département de Gironde)"
    assert places(body) == (
        "Bretagne", "Nouvelle-Aquitaine", "Ille-et-Vilaine (35)", "Gironde (33)", "Rennes Métropole",
    )


def test_a_comma_separates_two_names():
    assert places("<p>Nord, Pas-de-Calais.</p>") == ("Hauts-de-France", "Pas-de-Calais (62)")


def test_outre_mer():
    body = ("Entre les points de visio des directions régionales du CNFPT de Guyane, Martinique et Guadeloupe, "
            "et les interventions de la communauté de communes de l'Ouest guyanais ; à La Réunion et à Mayotte.")
    assert set(places(body)) == {
        "Guyane", "Martinique", "Guadeloupe", "La Réunion", "Mayotte", "Guyane (973)", "Martinique (972)",
        "Guadeloupe (971)", "La Réunion (974)", "Mayotte (976)", "CC de l'Ouest Guyanais",
    }


@pytest.mark.parametrize("body, expected", [
    ("Saint-Denis", ()),
    ("la Ville de Saint-Denis", ()),
    ("la Ville de Saint-Denis (93)", ("Île-de-France", "Seine-Saint-Denis (93)", "Saint-Denis (93)")),
    ("la Ville de Valence", ("Auvergne-Rhône-Alpes", "Drôme (26)", "Valence (26)")),
])
def test_a_shared_name_needs_context(body, expected):
    assert places(body) == expected


def test_hierarchy():
    assert territory_parents("Lille (59)") == ("Nord (59)",)
    assert territory_parents("Nord (59)") == ("Hauts-de-France",)
    assert territory_parents("Hauts-de-France") == ()
    assert territory_parents("Métropole du Grand Paris") == (
        "Paris (75)", "Essonne (91)", "Hauts-de-Seine (92)", "Seine-Saint-Denis (93)", "Val-de-Marne (94)",
        "Val-d'Oise (95)",
    )
    assert [territory_level(x) for x in ("Hauts-de-France", "Nord (59)", "Bordeaux Métropole", "Lille (59)", "Lille")] \
        == ["région", "département", "epci", "commune", ""]
    assert territory_level("Paris (75)") == "département"


@pytest.mark.parametrize("query, label", [
    ("59", "Nord (59)"), ("2A", "Corse-du-Sud (2A)"), ("974", "La Réunion (974)"),
    ("59350", "Lille (59)"), ("59000", "Lille (59)"), ("200046977", "Métropole de Lyon"),
    ("lille", "Lille (59)"), ("Hauts-de-France", "Hauts-de-France"), ("auvergne rhone alpes", "Auvergne-Rhône-Alpes"),
    ("Guyane", "Guyane"), ("nulle part", ""),
])
def test_resolve_names_and_codes(query, label):
    assert resolve_territory(query) == label


def test_table_is_what_the_script_derives_from_the_official_data():
    spec = importlib.util.spec_from_file_location("build_territories", ROOT / "scripts" / "build_territories.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    table = (ROOT / "indexer" / "data" / "territories.tsv").read_text("utf-8").splitlines(keepends=True)
    rows = script.territory_rows()
    assert [line for line in table if not line.startswith("#")] == rows
    assert sum(row.startswith("C\t") for row in rows) == 34969


def test_facet_counts_split_by_level(searcher):
    levels = territories_by_level(searcher.facets()["territory"])
    assert list(levels) == ["région", "département", "epci", "commune"]
    assert levels["région"]["Auvergne-Rhône-Alpes"] == 2 and levels["région"]["Hauts-de-France"] == 1
    assert levels["département"]["Nord (59)"] == 1 and levels["commune"]["Lille (59)"] == 1
    assert levels["epci"]["Grenoble-Alpes-Métropole"] == 1
