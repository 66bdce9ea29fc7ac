"""The JSON API over HTTP (framework test client) on the real corpus: contract, errors, limits, access."""

from __future__ import annotations

import json
from html import unescape

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from indexer import build_index
from search.cli import cli

from conftest import CORPUS, DATA, SIEG, WEBINAR
from http_support import TOKEN, make_app

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_search_is_the_cli_json(client, corpus_index):
    api = client.get("/api/v1/search", params={"q": "marchés réservés", "year": "2018"})
    cli_run = CliRunner().invoke(
        cli, ["search", "marchés réservés", "--year", "2018", "--json", "--index-dir", str(corpus_index)]
    )
    assert api.status_code == 200 and api.headers["content-type"] == "application/json"
    assert api.json() == json.loads(cli_run.stdout)
    assert api.json()["hits"][0]["id"] == WEBINAR


def test_filters_of_one_facet_are_ored_and_facets_anded(client):
    both_years = client.get("/api/v1/search?year=2018&year=2019").json()
    assert both_years["total"] == 4 and both_years["filters"] == {"year": ["2018", "2019"]}
    narrowed = client.get("/api/v1/search?year=2018&year=2019&territory=Grand Est").json()
    assert [h["id"] for h in narrowed["hits"]] == [WEBINAR]


def test_a_malformed_query_is_a_warning_unless_strict(client):
    lenient = client.get("/api/v1/search", params={"q": "titre:(marchés"})
    assert lenient.status_code == 200
    assert lenient.json()["warnings"] == ["parenthèse ouvrante sans fermante (position 7)"]


def test_pages_and_sort(client):
    first = client.get("/api/v1/search?limit=4&sort=date").json()
    third = client.get("/api/v1/search?limit=4&sort=date&page=3").json()
    assert (first["pages"], first["total"], len(third["hits"])) == (3, 9, 1)
    assert third["hits"][0]["id"] not in {h["id"] for h in first["hits"]}


def test_document_and_facets(client):
    doc = client.get(f"/api/v1/documents/{WEBINAR}").json()
    assert doc["id"] == WEBINAR and doc["year"] == "2018" and "Grand Est" in doc["territories"]
    facets = client.get("/api/v1/facets").json()
    assert facets["year"] == {"2017": 4, "2018": 3, "2019": 1, "2022": 1}


def test_suggest_completes_titles_and_terms_without_private_ones(client):
    answer = client.get("/api/v1/suggest", params={"q": "march", "limit": 5}).json()
    assert answer["query"] == "march" and "Marchés" in answer["suggestions"]
    assert 'Retour sur la conférence en ligne "Marchés réservés" du 5 juin 2018' in answer["suggestions"]
    private_title = "Les Services d’Intérêt Économique Général"
    assert private_title not in client.get("/api/v1/suggest", params={"q": "les serv"}).json()["suggestions"]
    assert private_title in client.get("/api/v1/suggest", params={"q": "les serv"}, headers=AUTH).json()["suggestions"]


def test_similar_resources(client):
    similar = client.get(f"/api/v1/documents/{WEBINAR}/similar", params={"limit": 3}).json()
    ids = [h["id"] for h in similar["hits"]]
    assert len(ids) == 3 and WEBINAR not in ids and SIEG not in ids
    assert ids[0] == "points-de-reperess-du-rtes-marches-publics-ess"
    assert client.get(f"/api/v1/documents/{SIEG}/similar").status_code == 404
    assert client.get(f"/api/v1/documents/{SIEG}/similar", headers=AUTH).status_code == 200


def test_health_reports_the_loaded_index(client):
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["documents"] == 9
    assert health["generation"].startswith("gen-") and 0 <= health["index_age_seconds"] < 3600


@pytest.mark.parametrize(
    "url, status, param, message",
    [
        ("/api/v1/search?limit=0", 400, "limit",
         "paramètre « limit » invalide : doit être supérieur ou égal à 1"),
        ("/api/v1/search?limit=101", 400, "limit", "doit être inférieur ou égal à 100"),
        ("/api/v1/search?page=deux", 400, "page", "paramètre « page » invalide : nombre entier attendu"),
        ("/api/v1/search?page=60&limit=20", 400, "page", "au plus 1000 résultats (page × limit)"),
        ("/api/v1/search?sort=titre", 400, "sort", "valeurs possibles : 'relevance' ou 'date'"),
        ("/api/v1/search?year=" + "9" * 201, 400, "year", "valeur trop longue"),
        ("/api/v1/search?" + "theme=ess&" * 51, 400, "theme", "trop de valeurs (au plus 50)"),
        ("/api/v1/search?q=" + "coopération " * 50, 414, "q", "trop long (au plus 500 caractères)"),
        ("/api/v1/search?theme=" + "x" * 5000, 414, None, "adresse trop longue"),
        ("/api/v1/search?q=titre:(marchés&strict=true", 400, "q", "parenthèse ouvrante sans fermante (position 7)"),
        ("/api/v1/search?strict=peut-être", 400, "strict", "true ou false attendu"),
        ("/api/v1/documents/inconnue", 404, None, "aucune ressource avec l'identifiant 'inconnue'"),
        ("/api/v1/documents/inconnue/similar", 404, None, "aucune ressource avec l'identifiant 'inconnue'"),
        ("/api/v1/suggest?q=" + "m" * 101, 414, "q", "trop long (au plus 100 caractères)"),
        ("/api/v1/suggest?q=ma&limit=0", 400, "limit", "doit être supérieur ou égal à 1"),
        ("/api/v2/search", 404, None, "adresse inconnue"),
    ],
)
def test_errors_are_french_json_with_status_and_param(client, url, status, param, message):
    response = client.get(url)
    error = response.json()["error"]
    assert (response.status_code, error["status"], error["param"]) == (status, status, param)
    assert message in error["message"]


def test_body_too_large_and_wrong_method(client):
    too_big = client.request("GET", "/api/v1/search", content=b"x" * 20000)
    assert too_big.status_code == 413 and "trop volumineuse" in too_big.json()["error"]["message"]
    post = client.post("/api/v1/search")
    assert post.status_code == 405 and "GET" in post.json()["error"]["message"]


def test_private_resource_is_absent_without_a_valid_token(client):
    query = {"q": "services d'intérêt économique général"}
    for headers in ({}, {"Authorization": TOKEN}, {"Authorization": "Basic cHJveHk6c2VjcmV0"}):  # no bearer: public
        hits = client.get("/api/v1/search", params=query, headers=headers).json()["hits"]
        assert SIEG not in [h["id"] for h in hits]
        assert sum(client.get("/api/v1/facets", headers=headers).json()["year"].values()) == 9
        hidden = client.get(f"/api/v1/documents/{SIEG}", headers=headers)
        assert hidden.status_code == 404
        assert hidden.json()["error"]["message"] == f"aucune ressource avec l'identifiant {SIEG!r}"
        assert client.get(f"/documents/{SIEG}", headers=headers).status_code == 404
        assert client.get("/health", headers=headers).json()["documents"] == 9


def test_a_valid_token_unlocks_private_resources(client):
    query = {"q": "services d'intérêt économique général"}
    results = client.get("/api/v1/search", params=query, headers=AUTH).json()
    assert results["hits"][0]["id"] == SIEG and results["hits"][0]["private"]
    assert client.get(f"/api/v1/documents/{SIEG}", headers=AUTH).json()["private"] is True
    assert sum(client.get("/api/v1/facets", headers=AUTH).json()["type"].values()) == 10  # SIEG has no year
    assert client.get("/health", headers=AUTH).json()["documents"] == 10


def test_no_index_is_503_until_one_is_built(tmp_path):
    with TestClient(make_app(tmp_path / "ix")) as client:
        for url in ("/health", "/api/v1/search?q=ess", "/api/v1/facets"):
            response = client.get(url)
            assert response.status_code == 503
            assert "aucun index" in response.json()["error"]["message"]
        page = client.get("/")
        assert page.status_code == 503 and "Service indisponible" in page.text
        build_index([CORPUS], tmp_path / "ix")
        assert client.get("/health").json()["documents"] == 9


def test_a_rebuilt_index_is_picked_up_without_restart(tmp_path):
    build_index([CORPUS], tmp_path / "ix")
    with TestClient(make_app(tmp_path / "ix")) as client:
        assert client.get("/health").json()["documents"] == 9
        build_index([DATA / "malformed-export.txt"], tmp_path / "ix")  # 2 readable records
        rebuilt = client.get("/health").json()
        assert rebuilt["documents"] != 9
        assert client.get("/api/v1/search").json()["total"] == rebuilt["documents"]


def test_rate_limit_answers_429_with_retry_after(corpus_index):
    with TestClient(make_app(corpus_index, rate_limit=3, rate_window=60.0)) as client:
        statuses = [client.get("/api/v1/facets").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = client.get("/api/v1/search?q=ess")
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert refused.json()["error"]["message"].startswith("trop de requêtes : au plus 3 par période")
        assert client.get("/static/style.css").status_code == 200


def test_cors_only_for_configured_origins(corpus_index, client):
    origin = {"Origin": "https://intranet.example.org"}
    assert "access-control-allow-origin" not in client.get("/api/v1/facets", headers=origin).headers
    with TestClient(make_app(corpus_index, cors_origins=("https://intranet.example.org",))) as allowed:
        response = allowed.get("/api/v1/facets", headers=origin)
        assert response.headers["access-control-allow-origin"] == "https://intranet.example.org"
        other = allowed.get("/api/v1/facets", headers={"Origin": "https://ailleurs.example.com"})
        assert "access-control-allow-origin" not in other.headers


def test_answers_vary_with_the_token_and_load_nothing_from_elsewhere(client):
    for url in ("/api/v1/search?q=ess", "/", "/api/v1/documents/inconnue"):
        headers = client.get(url).headers
        assert "Authorization" in ", ".join(headers.get_list("vary"))
        assert headers["content-security-policy"] == "default-src 'self'; frame-ancestors 'self'"


def test_openapi_document_lists_the_api(client):
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {
        "/api/v1/search", "/api/v1/search.csv", "/api/v1/documents/{doc_id}", "/api/v1/documents/{doc_id}/similar", "/api/v1/suggest",
        "/api/v1/facets", "/health", "/feed", "/api/v1/documents", "/api/v1/files",
    }
    assert "/" not in spec["paths"]
    limit = next(p for p in spec["paths"]["/api/v1/search"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 100


def test_a_wrong_bearer_token_is_refused_not_taken_for_public_access(client):
    for url in ("/api/v1/search?q=ess", "/api/v1/facets", "/health", "/feed", f"/api/v1/documents/{WEBINAR}"):
        refused = client.get(url, headers={"Authorization": "Bearer mauvais-jeton"})
        assert refused.status_code == 401, url
        assert refused.headers["www-authenticate"] == 'Bearer realm="rtes-search", error="invalid_token"'
        assert refused.json()["error"]["message"].startswith("jeton d'accès invalide")
    page = client.get("/?q=ess", headers={"Authorization": "Bearer mauvais-jeton"})
    assert page.status_code == 401 and page.headers["content-type"].startswith("text/html")
    assert "Accès refusé" in page.text and "Jeton d'accès invalide" in unescape(page.text)
    assert client.get("/api/v1/search?q=ess", headers={"Authorization": "Bearer "}).status_code == 401


def test_openapi_declares_the_optional_bearer_token(client):
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["jeton"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]["jeton"]["description"]}
    operation = spec["paths"]["/api/v1/search"]["get"]
    assert operation["security"] == [{}, {"jeton": []}] and "401" in operation["responses"]


def test_completions_have_their_own_budget_and_pages_refuse_in_french(corpus_index):
    with TestClient(make_app(corpus_index, rate_limit=2, rate_window=60.0)) as client:
        typed = [client.get("/api/v1/suggest", params={"q": "marchés"[:n]}).status_code for n in range(2, 8)]
        assert typed == [200] * 6    # 6 completions: more than the pages' 2, within their own 10
        assert [client.get("/", params={"q": "ess"}).status_code for _ in range(2)] == [200, 200]
        refused = client.get("/", params={"q": "ess"})
        assert refused.status_code == 429 and refused.headers["content-type"].startswith("text/html")
        assert "Trop de requêtes" in refused.text and "réessayez dans" in refused.text
        assert int(refused.headers["retry-after"]) >= 1
        assert client.get("/api/v1/search?q=ess").json()["error"]["status"] == 429


def test_no_redirect_is_built_from_the_host_header(client):
    for path in ("/static", "/api/v1/search/", "/documents/"):
        answer = client.get(path, headers={"Host": "pirate.example"}, follow_redirects=False)
        assert answer.status_code == 404 and "location" not in answer.headers, path
