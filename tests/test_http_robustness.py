"""What the web faces answer when a parameter, a stored value or the backend is wrong.

Errors name their parameter; a stored date no calendar holds (an older index
kept ``2018-06-31`` from a title "rencontre du 31 juin 2018", a JSONL export
``2018-13-45``) never makes a feed, a page or a CSV fail; every 500 carries
the security headers; a 503 names neither the index folder nor the
cluster's nodes (the server's log does).
"""

from __future__ import annotations

import logging

import feedparser
import pytest
from fastapi.testclient import TestClient

from indexer import build_index, sync
from search.cluster import ClusterSearchError
from search.http import Settings, create_app
from search.http.errors import from_search_error

from cluster_support import closed_ports
from conftest import CORPUS, ENERCOOP, WEBINAR
from http_support import make_app

SECURITY_HEADERS = {"content-security-policy": "default-src 'self'; frame-ancestors 'self'",
                    "x-content-type-options": "nosniff"}
# Resources of the corpus given dates no calendar holds, as an older index or an export may store them.
IMPOSSIBLE_DATES = {WEBINAR: "2018-06-31", ENERCOOP: "2018-13-45"}


@pytest.fixture(scope="module")
def client(corpus_index):
    with TestClient(make_app(corpus_index)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def impossible_dates_index(tmp_path_factory):
    """The corpus indexed with ``IMPOSSIBLE_DATES`` stored as they are (whatever ingestion now accepts)."""
    written = sync.document_fields

    def with_impossible_dates(doc, *args):
        fields = written(doc, *args)
        if doc.id in IMPOSSIBLE_DATES:
            fields["date"] = IMPOSSIBLE_DATES[doc.id]
        return fields

    index_dir = tmp_path_factory.mktemp("impossible-dates")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sync, "document_fields", with_impossible_dates)
        build_index([CORPUS], index_dir)
    return index_dir


@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/search.csv", "/feed"])
def test_an_unreadable_year_names_its_parameter(client, path):
    response = client.get(path, params={"year": "abc"})
    error = response.json()["error"]
    assert (response.status_code, error["param"]) == (400, "year")
    assert "année invalide : « abc »" in error["message"]


def test_impossible_stored_dates_never_break_a_feed_a_page_or_a_csv(impossible_dates_index):
    with TestClient(make_app(impossible_dates_index), raise_server_exceptions=False) as client:
        stored = client.get(f"/api/v1/documents/{WEBINAR}").json()
        assert stored["date"] == "2018-06-31"   # the damage is really there
        for url in ("/feed", "/feed?year=2018", "/feed?q=marchés", "/?q=marchés", "/?sort=date",
                    f"/documents/{WEBINAR}", "/api/v1/search.csv?q=marchés", "/api/v1/search.csv?sort=date"):
            assert client.get(url).status_code == 200, url
        entries = {e.title: e for e in feedparser.parse(client.get("/feed").content).entries}
    webinar = next(e for title, e in entries.items() if title.startswith("Retour sur la conférence en ligne"))
    assert webinar.updated.startswith("2018-06-01")   # the longest real date it begins with: June 2018


def test_every_500_carries_the_security_headers(corpus_index):
    app = make_app(corpus_index)

    @app.get("/api/v1/panne")
    def broken():
        raise RuntimeError("panne simulée")

    @app.get("/panne")
    def broken_page():
        raise RuntimeError("panne simulée")

    with TestClient(app, raise_server_exceptions=False) as client:
        for url in ("/api/v1/panne", "/panne"):
            response = client.get(url)
            assert response.status_code == 500 and "panne simulée" not in response.text
            assert {name: response.headers.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS


def test_a_missing_index_is_a_503_that_names_no_folder(tmp_path, caplog):
    folder = tmp_path / "index-du-serveur"
    with TestClient(make_app(folder)) as client, caplog.at_level(logging.WARNING):
        response = client.get("/api/v1/search", params={"q": "ESS"})
    assert response.status_code == 503 and "aucun index" in response.json()["error"]["message"]
    assert str(tmp_path) not in response.text
    assert str(folder) in caplog.text   # the operator reads where it looked in the server's log


def test_an_unreachable_cluster_is_a_503_that_names_no_node(caplog):
    ports = closed_ports(2)
    url = f"typesense://cle-secrete@127.0.0.1:{ports[0]},127.0.0.1:{ports[1]}/rtes"
    with TestClient(create_app(Settings(index_dir=url, rate_limit=0))) as client, caplog.at_level(logging.WARNING):
        answers = [client.get(path) for path in ("/api/v1/search?q=ESS", "/health", "/", "/feed")]
    assert [a.status_code for a in answers] == [503] * 4
    for answer in answers:
        assert str(ports[0]) not in answer.text and "127.0.0.1" not in answer.text
        assert "cle-secrete" not in answer.text
    assert f"127.0.0.1:{ports[0]}" in caplog.text and "cle-secrete" not in caplog.text


def test_a_search_the_cluster_refused_names_no_node(caplog):
    refused = ClusterSearchError("le cluster typesense://***@10.0.0.7:8108/rtes a refusé une recherche : filtre")
    with caplog.at_level(logging.WARNING):
        error = from_search_error(refused)
    assert error.status == 400 and "10.0.0.7" not in error.message and "refusé cette recherche" in error.message
    assert "10.0.0.7:8108" in caplog.text
