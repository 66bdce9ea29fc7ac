"""The server-rendered search page (no JavaScript): what it shows and the URLs it links to."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from conftest import SIEG, WEBINAR
from http_support import TOKEN, make_app
from indexer import build_index
from indexer.ingest.records import FieldMapping


def _checked(html: str) -> set[tuple[str, str]]:
    return {(n, unescape(v)) for n, v in re.findall(r'name="(\w+)" value="([^"]*)" checked', html)}


def test_results_with_highlights_and_metadata(client):
    page = client.get("/?q=marchés réservés")
    assert page.status_code == 200 and '<html lang="fr">' in page.text
    assert "4 résultats pour « marchés réservés »" in page.text
    # The link carries the results page, for the resource's "Retour aux résultats".
    assert f'href="/documents/{WEBINAR}?q=march%C3%A9s+r%C3%A9serv%C3%A9s"' in page.text
    assert "<mark>marchés réservés</mark>" in page.text.lower()  # words side by side: one mark
    assert "Conférence en ligne · 2018 · Grand Est" in page.text


def test_active_filters_are_checked_and_removable_chips(client):
    page = client.get("/?q=collectivités&year=2018&territory=Grand Est").text
    assert _checked(page) == {("year", "2018"), ("territory", "Grand Est")}
    chips = dict((unescape(label), unescape(href)) for href, label in
                 re.findall(r'<a class="chip" href="([^"]*)" aria-label="Retirer le filtre ([^"]*)"', page))
    assert chips == {
        "Année : 2018": "/?q=collectivit%C3%A9s&territory=Grand+Est",
        "Territoire : Grand Est": "/?q=collectivit%C3%A9s&year=2018",
    }


def test_ticked_facet_keeps_its_other_values_on_offer(client):
    page = client.get("/?year=2018").text
    assert "3 résultats" in page
    pattern = r'name="year" value="(\d+)"[^>]*> <span class="value">\d+</span> <span class="n">(\d+)'
    years = dict(re.findall(pattern, page))
    assert years == {"2018": "3", "2017": "4", "2019": "1", "2022": "1"}


def test_territories_are_a_tree_with_the_ticked_branch_first(client):
    page = BeautifulSoup(client.get("/", params={"territory": "Lille (59)"}).text, "html.parser")
    lille = page.find("input", attrs={"name": "territory", "value": "Lille (59)"})
    assert lille.has_attr("checked")
    ancestors = [li.label.input["value"] for li in lille.find_parent("li").find_parents("li")]
    assert ancestors == ["Nord (59)", "Hauts-de-France"]
    roots = page.select('fieldset[data-facet="territory"] > ul > li > label > input')
    assert roots[0]["value"] == "Hauts-de-France"
    assert "Île-de-France" in [r["value"] for r in roots] and "Sceaux (92)" not in [r["value"] for r in roots]


def test_pagination_links_keep_the_state(client):
    page = client.get("/?sort=date&limit=4&page=2").text
    assert 'aria-current="page">2<' in page
    links = set(map(unescape, re.findall(r'<a rel="(?:prev|next)" href="([^"]*)"', page)))
    assert links == {"/?sort=date&limit=4", "/?sort=date&limit=4&page=3"}
    assert '<ol class="hits" start="5">' in page


def test_document_page_and_private_access(client):
    page = client.get(f"/documents/{WEBINAR}")
    assert page.status_code == 200 and "<h1>Retour sur la conférence en ligne" in page.text
    missing = client.get(f"/documents/{SIEG}")
    assert missing.status_code == 404 and "Page introuvable" in missing.text
    assert client.get(f"/documents/{SIEG}", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_no_results_offer_no_empty_filters(client):
    page = client.get("/?q=zzzyxw").text
    assert "Aucun résultat pour « zzzyxw »" in page and "Essayez d'autres mots" in page
    assert "Appliquer les filtres" not in page and 'class="layout single"' in page


def test_did_you_mean_links_to_the_corrected_query(client):
    page = client.get("/?q=marches resreves&year=2018").text
    assert 'Vouliez-vous dire <a href="/?q=marches+r%C3%A9serv%C3%A9s&amp;year=2018">marches réservés</a> ?' in page


def test_document_page_lists_similar_resources(client):
    page = client.get(f"/documents/{WEBINAR}").text
    similar = page[page.index("Ressources proches"):]
    assert 'href="/documents/points-de-reperess-du-rtes-marches-publics-ess"' in similar
    assert SIEG not in similar and f'href="/documents/{WEBINAR}"' not in similar


def test_invalid_parameter_is_a_french_error_page(client):
    page = client.get("/?page=zéro")
    assert page.status_code == 400 and "Paramètre « page » invalide : nombre entier attendu." in page.text


def test_everything_is_served_by_the_app(client):
    page = client.get("/?q=ess").text
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:css|js))"', page)
    assert assets == ["/static/style.css", "/static/app.js"]
    assert all(client.get(a).status_code == 200 for a in assets)


def test_snippet_fragments_are_marked_with_an_ellipsis_at_each_cut(client):
    page = BeautifulSoup(client.get("/", params={"q": "marchés réservés"}).text, "html.parser")
    webinar = page.find("a", href=f"/documents/{WEBINAR}?q=march%C3%A9s+r%C3%A9serv%C3%A9s").find_parent("li")
    snippet = webinar.select_one("p.snippet").get_text()
    assert len(webinar.select("p.snippet")) == 1
    assert snippet.startswith("… point sur une des dispositions de la réforme des marchés publics de 2016")
    assert "défavorisés (art. … mais invite à une" in snippet and snippet.endswith(" …")
    guide = page.find("a", href="/documents/points-de-reperess-du-rtes-marches-publics-ess?q=march%C3%A9s+r%C3%A9serv%C3%A9s").find_parent("li")
    text = guide.select_one("p.snippet").get_text()
    assert text.startswith("Marchés réservés") and "responsable. … Téléchargez" in text


def test_a_page_beyond_the_last_offers_the_last_page(client):
    page = client.get("/", params={"q": "marchés réservés", "limit": 2, "page": 9}).text
    assert "La page 9 est au-delà de la dernière." in page
    links = re.findall(r'<a href="([^"]*)">Aller à la dernière page \(2\)</a>', page)
    assert list(map(unescape, links)) == ["/?q=march%C3%A9s+r%C3%A9serv%C3%A9s&limit=2&page=2"]
    assert '<a rel="prev" href="/?q=march%C3%A9s+r%C3%A9serv%C3%A9s&amp;limit=2&amp;page=2">' in page


def test_an_unexpected_failure_is_a_french_page_without_traceback(corpus_index, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("détail interne à ne pas montrer")

    monkeypatch.setattr("search.Searcher.search", broken)
    with TestClient(make_app(corpus_index), raise_server_exceptions=False) as client:
        page = client.get("/", params={"q": "ess"})
        api = client.get("/api/v1/search", params={"q": "ess"})
    assert page.status_code == 500 and "Service indisponible" in page.text and "Erreur interne du serveur" in page.text
    assert "détail interne" not in page.text and "Traceback" not in page.text
    assert api.status_code == 500 and api.json()["error"]["message"] == "erreur interne du serveur"


def test_a_long_territory_tree_keeps_the_most_counted_and_the_ticked_with_their_parents():
    """Law articles name 1,300 places: the tree keeps ``TREE_VALUES`` of them, parents included."""
    from indexer.metadata.gazetteer import gazetteer
    from search.http.view import TREE_VALUES, FacetValue, territory_tree

    communes = sorted(label for label, t in gazetteer().by_label.items() if t.level == "C" and label.endswith("(59)"))
    items = [FacetValue("Hauts-de-France", 500, False), FacetValue("Nord (59)", 400, False)]
    items += [FacetValue(label, 300 - n % 300, False) for n, label in enumerate(communes[:400])]
    ticked = FacetValue(communes[-1], 1, True)
    tree = territory_tree([ticked] + items)

    def labels(nodes):
        return [n.value for n in nodes] + [v for n in nodes for v in labels(n.children)]

    shown = labels(tree)
    assert len(shown) == TREE_VALUES and shown[:2] == ["Hauts-de-France", "Nord (59)"]  # ticked one included
    assert communes[-1] in shown and tree[0].children[0].children[0].value == communes[-1]


def test_a_filter_value_is_ticked_as_the_search_applied_it(client):
    """``type=conference`` filters "Conférence en ligne": that is the ticked box and the chip, once."""
    page = BeautifulSoup(client.get("/", params={"type": "conference"}).text, "html.parser")
    ticked = [box["value"] for box in page.select('input[name="type"][checked]')]
    assert ticked == ["Conférence en ligne"] and not page.select('input[name="type"][value="conference"]')
    assert [chip.get_text(" ", strip=True) for chip in page.select(".chips a")][0].startswith("Type : Conférence en ligne")


def test_an_empty_query_says_its_date_order_in_the_sort_menu(client):
    browse = BeautifulSoup(client.get("/").text, "html.parser")
    assert browse.select_one("#sort option[selected]")["value"] == "date"
    assert browse.select_one("#sort").has_attr("disabled")   # not sent: a query typed next is by relevance
    query = BeautifulSoup(client.get("/?q=marchés").text, "html.parser")
    assert query.select_one("#sort option[selected]")["value"] == "relevance"


def test_past_the_last_page_is_said_once(client):
    page = client.get("/", params={"q": "marchés réservés", "limit": 2, "page": 9}).text
    assert page.count("au-delà de la dernière") == 1


def test_notes_and_warnings_are_told_apart_in_plain_french(client):
    page = BeautifulSoup(client.get("/", params={"q": "ESS marchés", "type": "inexistant"}).text, "html.parser")
    notes = [p.get_text() for p in page.select("p.note")]
    warnings = [p.get_text() for p in page.select("p.warning")]
    assert "Synonyme : ESS = économie sociale et solidaire." in notes
    assert warnings == ["Attention : Aucune ressource avec type « inexistant » "
                        "(valeurs proches : Conférence en ligne, Points de RepèrESS, Étude)."]
    covered = BeautifulSoup(client.get("/", params={"q": "marchés réservés article 37"}).text, "html.parser")
    assert [p.get_text() for p in covered.select("p.note")] == [
        "1 ressource contient tous les mots cherchés, 3 n’en contiennent qu’une partie."]
    assert not covered.select("p.warning")


def test_a_resource_page_in_french_with_a_way_back_to_the_results(client):
    results = BeautifulSoup(client.get("/", params={"q": "marchés réservés", "page": 1, "limit": 2}).text,
                            "html.parser")
    link = results.select_one("ol.hits h3 a")["href"]
    assert link == f"/documents/{WEBINAR}?q=march%C3%A9s+r%C3%A9serv%C3%A9s&limit=2"
    page = BeautifulSoup(client.get(link).text, "html.parser")
    assert page.find("a", string="‹ Retour aux résultats")["href"] == "/?q=march%C3%A9s+r%C3%A9serv%C3%A9s&limit=2"
    meta = dict(zip((dt.get_text() for dt in page.select("dl.meta dt")), (dd.get_text() for dd in page.select("dl.meta dd"))))
    assert meta["Date"] == "5 juin 2018"
    summary = page.select_one("section.summary p").get_text()
    assert summary.startswith("Près de 40 personnes") and page.get_text().count("Près de 40 personnes") == 1
    assert [a["href"] for a in page.select("section.similar a")][0].endswith("?q=march%C3%A9s+r%C3%A9serv%C3%A9s&limit=2")
    alone = BeautifulSoup(client.get(f"/documents/{WEBINAR}").text, "html.parser")
    assert alone.find("a", string="‹ Nouvelle recherche")["href"] == "/"


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    """An index of two resources with addresses: one to follow, one a script."""
    folder = tmp_path_factory.mktemp("linked")
    records = [
        {"id": "guide", "title": "Guide des marchés", "text": "Les marchés réservés.", "url": "https://www.rtes.fr/guide"},
        {"id": "piege", "title": "Piège des marchés", "text": "Les marchés piégés.", "url": "javascript:alert(1)"},
    ]
    source = folder / "ressources.jsonl"
    source.write_text("\n".join(json.dumps(record) for record in records), encoding="utf-8")
    build_index([source], folder / "index", mapping=FieldMapping(fields=(("url", "url"),)))
    with TestClient(make_app(folder / "index")) as test_client:
        yield test_client


def test_only_http_https_and_mailto_addresses_are_links(linked):
    guide = BeautifulSoup(linked.get("/documents/guide").text, "html.parser")
    assert guide.find("a", string="Consulter la ressource originale")["href"] == "https://www.rtes.fr/guide"
    trap = linked.get("/documents/piege")
    assert trap.status_code == 200 and "javascript:" not in trap.text
    assert BeautifulSoup(trap.text, "html.parser").find("a", string="Consulter la ressource originale") is None


def test_the_feed_links_only_http_https_and_mailto_addresses(linked):
    body = linked.get("/feed?q=marchés").text
    assert 'href="https://www.rtes.fr/guide"' in body
    assert "<title>Piège des marchés</title>" in body and "javascript:" not in body


def test_the_pages_csv_is_for_french_spreadsheets(client):
    page = BeautifulSoup(client.get("/?q=marchés réservés").text, "html.parser")
    link = page.find("a", string="Télécharger en CSV")["href"]
    assert link == "/resultats.csv?q=march%C3%A9s+r%C3%A9serv%C3%A9s"
    answer = client.get(link)
    assert answer.headers["content-disposition"] == 'attachment; filename="rtes-recherche.csv"'
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["identifiant", "titre", "type", "année", "date", "thèmes", "territoires", "adresse", "score"]
    assert len(rows) == 5 and rows[1][0] == WEBINAR and "," in rows[1][8]
    assert {row[7] for row in rows[1:]} == {""}   # the export holds no address: never guessed
    api = client.get("/api/v1/search.csv", params={"q": "marchés réservés"}).content.decode("utf-8-sig")
    assert api.startswith("id,title,type,year")
