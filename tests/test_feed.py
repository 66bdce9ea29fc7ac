"""Saved searches as Atom feeds (``GET /feed``), parsed with feedparser, on the real corpus."""

from __future__ import annotations

import doctest
import shutil
import xml.etree.ElementTree as ElementTree
from datetime import datetime

import feedparser
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from indexer import build_index, update_index
from search.http import feed as feed_module

from conftest import CORPUS, SIEG, WEBINAR
from http_support import TOKEN, make_app

NEW_PAGE = """<!doctype html><html lang="fr"><head><title>Monnaies locales et collectivités - conférence en
ligne 3 novembre 2026</title></head><body><main><h1>Monnaies locales et collectivités - conférence en ligne
3 novembre 2026</h1><p>Les monnaies locales complémentaires soutiennent les marchés publics responsables et
l'économie sociale et solidaire des collectivités territoriales : retour sur la conférence en ligne.</p>
<p>Les collectivités partenaires ont présenté leurs marchés réservés et leurs achats responsables.</p>
</main></body></html>"""


ATOM = "{http://www.w3.org/2005/Atom}"


def _check_rfc4287(xml: bytes) -> None:
    """The elements RFC 4287 requires: once each in the feed and in every entry, and a link for each entry."""
    feed = ElementTree.fromstring(xml)
    assert feed.tag == ATOM + "feed"
    for element in (feed, *feed.iter(ATOM + "entry")):
        for name in ("id", "title", "updated"):
            assert len(element.findall(ATOM + name)) == 1, (element.tag, name)
        assert datetime.fromisoformat(element.find(ATOM + "updated").text).tzinfo is not None
    assert feed.find(ATOM + "author/" + ATOM + "name").text
    assert all(entry.findall(ATOM + "link") for entry in feed.iter(ATOM + "entry"))


def _read(client, **params) -> feedparser.FeedParserDict:
    headers = params.pop("headers", {})
    answer = client.get("/feed", params=params, headers=headers)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/atom+xml; charset=utf-8"
    _check_rfc4287(answer.content)
    parsed = feedparser.parse(answer.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_feed_is_valid_atom_newest_first_with_complete_entries(client):
    parsed = _read(client, q="marchés réservés")
    assert parsed.feed.title == "Ressources du RTES : « marchés réservés »" and parsed.feed.language == "fr"
    assert len(parsed.entries) == 4
    times = [e.updated_parsed for e in parsed.entries]
    assert times == sorted(times, reverse=True)
    webinar = next(e for e in parsed.entries if e.link.endswith(f"/documents/{WEBINAR}"))
    assert webinar.title == 'Retour sur la conférence en ligne "Marchés réservés" du 5 juin 2018'
    assert webinar.updated.startswith("2018-06-05") and "marchés réservés" in webinar.summary
    assert {("Type : Conférence en ligne", "Conférence en ligne"), ("Territoire : Grand Est", "Grand Est")} <= {
        (t.label, t.term) for t in webinar.tags}
    assert all(e.id.startswith("urn:uuid:") for e in parsed.entries)
    assert [e.id for e in _read(client, q="marchés réservés").entries] == [e.id for e in parsed.entries]


def test_filters_narrow_the_feed_and_name_it(client):
    parsed = _read(client, year="2018")
    assert len(parsed.entries) == 3 and all(e.updated.startswith("2018") for e in parsed.entries)
    assert parsed.feed.title == "Ressources du RTES : Année : 2018"
    assert _read(client, q="marchés", year="2018").feed.id != parsed.feed.id


def test_private_resources_only_with_a_valid_token(client):
    query = "services d'intérêt économique général"
    for headers in ({}, {"Authorization": "Bearer mauvais"}):
        answer = client.get("/feed", params={"q": query}, headers=headers)
        assert SIEG not in answer.text and "Intérêt Économique Général" not in answer.text
    unlocked = _read(client, q=query, headers={"Authorization": f"Bearer {TOKEN}"})
    assert any(e.link.endswith(f"/documents/{SIEG}") for e in unlocked.entries)


def test_search_page_offers_the_feed_of_its_query_and_filters(client):
    page = BeautifulSoup(client.get("/", params={"q": "marchés", "year": "2018", "sort": "date"}).text,
                         "html.parser")
    alternate = page.find("link", rel="alternate", type="application/atom+xml")
    subscribe = page.find("a", string="S'abonner")
    assert alternate["href"] == subscribe["href"] == "/feed?q=march%C3%A9s&year=2018"
    total = client.get("/api/v1/search", params={"q": "marchés", "year": "2018"}).json()["total"]
    assert len(_read(client, q="marchés", year="2018").entries) == total == 1


def test_a_resource_indexed_after_a_first_read_tops_the_next_read(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    build_index([corpus], tmp_path / "index")
    with TestClient(make_app(tmp_path / "index")) as client:
        before = _read(client, q="marchés")
        (corpus / "monnaies-locales.html").write_text(NEW_PAGE, encoding="utf-8")
        assert update_index([corpus], tmp_path / "index").added == 1
        after = _read(client, q="marchés")
    assert after.entries[0].title.startswith("Monnaies locales et collectivités")
    assert after.entries[0].updated.startswith("2026-11-03")
    assert [e.id for e in after.entries[1:]] == [e.id for e in before.entries]


def test_docstring_examples():
    result = doctest.testmod(feed_module)
    assert result.attempted > 0 and result.failed == 0
