"""The map of France on the search page: shapes checked against the official codes, counts, links, zoom, privacy."""

from __future__ import annotations

import doctest
import re
import shutil
import xml.etree.ElementTree as ElementTree

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from indexer import build_index
from indexer.metadata.gazetteer import gazetteer, name_key
from search.http import territory_map
from search.http.territory_map import MAPS, OVERSEAS, SVG_NS, shapes

from conftest import CORPUS, ROOT
from http_support import TOKEN, make_app

PRIVATE_PAGE = ROOT / "tests/fixtures/site/pages/les-services-d-interet-economique-general.html"


def _map(client, **params) -> BeautifulSoup | None:
    page = BeautifulSoup(client.get("/", params=params).text, "html.parser")
    return page.select_one("figure.map")


def _areas(figure) -> dict[str, tuple[int, str, str | None]]:
    """label → (count, title, link) of every shape group on the map (no link: a territory without resources)."""
    return {a["data-territory"]: (int(a["data-count"]), a.title.string, a.get("href"))
            for a in figure.select("svg .area")}


def test_every_shape_is_an_official_departement_with_its_name():
    named = {p.get("id").upper(): p.get("aria-label")
             for p in ElementTree.parse(MAPS / "france.departments.svg").getroot().iter(SVG_NS + "path")}
    world = {p.get("id"): p.get("aria-label")
             for p in ElementTree.parse(MAPS / "world.outre-mer.svg").getroot().iter(SVG_NS + "path")}
    named.update({code: world[wid] for wid, code in OVERSEAS.items()})
    renamed = {"Ville de Paris": "Paris", "French Guiana": "Guyane", "Reunion": "La Réunion"}
    for shape in shapes():
        official = gazetteer().by_id["D" + shape.code]
        assert name_key(renamed.get(named[shape.code], named[shape.code])) == name_key(official.name), shape.code
        assert shape.label == official.label and territory_map.regions_of(shape.label) == {shape.region}
    regions = {t.label for t in gazetteer().by_id.values() if t.level == "R" and len(t.id) == 3}
    departements = {t.id[1:] for t in gazetteer().by_id.values()
                    if t.level == "D" and gazetteer().by_id[t.parents[0]].label in regions}
    assert regions == {s.region for s in shapes()} and len(regions) == 18
    assert departements == {s.code for s in shapes()} and len(shapes()) == 101


def test_regions_are_shaded_by_the_facet_counts_with_titles(client):
    facets = client.get("/api/v1/search", params={"q": "collectivités"}).json()["facets"]["territory"]
    areas = _areas(_map(client, q="collectivités"))
    assert len(areas) == 18 and {label: count for label, (count, _, _) in areas.items() if count} == {
        label: n for label, n in facets.items() if label in areas}
    assert areas["Grand Est"][1] == "Grand Est : 2 ressources"
    assert areas["Bretagne"][1] == "Bretagne : 1 ressource" and areas["Corse"][1] == "Corse : aucune ressource"
    for overseas in ("Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"):
        assert overseas in areas
    shades = {a["data-territory"]: a["class"][-1] for a in _map(client, q="collectivités").select("svg .area")}
    assert shades["Grand Est"] == "c4" and shades["Bretagne"] == "c2" and shades["Corse"] == "c0"
    # A région without resources is drawn, but is not a link to an empty result.
    assert areas["Corse"][2] is None and areas["Bretagne"][2].startswith("/?q=collectivit")
    assert {link is None for _, (count, _, link) in areas.items() if not count} == {True}


def test_the_overseas_insets_are_named(client):
    names = [text.string for text in _map(client, q="collectivités").select("svg text.inset-name")]
    assert names == ["Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"]


def test_text_alternative_lists_the_counts(client):
    figure = _map(client)
    assert figure.svg["aria-hidden"] == "true"
    listed = [li.get_text() for li in figure.select("ul.visually-hidden li")]
    assert listed[:2] == ["Auvergne-Rhône-Alpes : 2 ressources", "Grand Est : 2 ressources"]
    assert "Bretagne : 1 ressource" in listed and not any("aucune" in item for item in listed)


def test_each_shape_links_to_its_territory_filter(client):
    areas = _areas(_map(client, q="coopération", year="2017", territory="Grand Est"))
    assert areas  # zoomed on Grand Est: its départements
    figure = _map(client, q="coopération", year="2017")
    link = _areas(figure)["Bretagne"][2]
    assert link == "/?q=coop%C3%A9ration&year=2017&territory=Bretagne"
    followed = client.get(link.replace("/?", "/api/v1/search?")).json()
    assert followed["total"] == 1 and all("Bretagne" in h["territories"] for h in followed["hits"])


def test_a_ticked_territory_shows_the_departements_of_its_region(client):
    for ticked in ("Haute-Marne (52)", "52", "Grand Est"):
        figure = _map(client, territory=ticked)
        assert figure.figcaption.string == "Grand Est : ressources par département"
        areas = _areas(figure)
        assert len(areas) == 10 and areas["Haute-Marne (52)"][:2] == (1, "Haute-Marne (52) : 1 ressource")
        assert areas["Moselle (57)"][0] == 0
        assert figure.find("a", string="Toute la France")["href"] == "/"


def test_a_region_holding_every_counted_resource_is_shown_by_departement(client):
    figure = _map(client, q="Enercoop")
    assert figure.figcaption.string == "Hauts-de-France : ressources par département"
    assert _areas(figure)["Nord (59)"][:2] == (1, "Nord (59) : 1 ressource")
    assert figure.find("a", string="Toute la France") is None


def test_no_map_without_any_territory(client):
    assert _map(client, q="zzzyxw") is None


def test_private_resources_count_only_with_a_token(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    html = PRIVATE_PAGE.read_text(encoding="utf-8")
    (corpus / "scic-rennes.html").write_text(
        html.replace("Les Services d’Intérêt Économique Général", "Fiche réservée : Ville de Rennes / SCIC"), "utf-8")
    build_index([corpus], tmp_path / "index")
    with TestClient(make_app(tmp_path / "index")) as client:
        public = _areas(_map(client))
        private = _areas(BeautifulSoup(client.get("/", headers={"Authorization": f"Bearer {TOKEN}"}).text,
                                       "html.parser").select_one("figure.map"))
    assert public["Bretagne"][:2] == (1, "Bretagne : 1 ressource")
    assert private["Bretagne"][:2] == (2, "Bretagne : 2 ressources")


def test_path_data_is_compact_and_closed():
    nord = next(s for s in shapes() if s.code == "59")
    assert re.fullmatch(r"(m[-\d. ]+z)+", nord.path)
    assert sum(len(s.path) for s in shapes()) < 80_000   # the page carries every shape


def test_docstring_examples():
    result = doctest.testmod(territory_map)
    assert result.attempted > 0 and result.failed == 0
