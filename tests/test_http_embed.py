"""What other sites and browsers get from the server: the component's script, CORS, framing, OpenSearch,
and links that never come from the Host header."""

from __future__ import annotations

import gzip
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import httpx2
import pytest
from fastapi.testclient import TestClient

from conftest import WEBINAR
from http_support import RTES, make_app, served
from search.http import Settings
from search.http.server import settings_environment

SITE = "http://127.0.0.1:9"
OTHER = "https://ailleurs.example.com"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
STATIC = Path(__file__).parents[1] / "search" / "http" / "static"


@pytest.fixture(scope="module")
def client(corpus_index):
    with TestClient(make_app(corpus_index, cors_origins=(SITE,))) as test_client:
        yield test_client


def test_the_component_is_a_public_module_script_for_every_origin(client):
    script = client.get("/embed.js", headers={"Origin": OTHER})
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert script.headers["access-control-allow-origin"] == "*"
    assert "customElements.define(\"rtes-recherche\"" in script.text
    imported = client.get("/static/combobox.js", headers={"Origin": OTHER})
    assert imported.status_code == 200 and imported.headers["access-control-allow-origin"] == "*"
    # The API itself stays closed to a site the operator did not name.
    assert "access-control-allow-origin" not in client.get("/api/v1/facets", headers={"Origin": OTHER}).headers


def test_the_component_with_its_styles_is_at_most_25_kb_gzipped():
    files = [STATIC.parent / "component" / "embed.js"] + [STATIC / name for name in
                                                          ("combobox.js", "embed-texts.js", "embed-styles.js")]
    size = sum(len(gzip.compress(path.read_bytes(), 9)) for path in files)
    assert size <= 25 * 1024, size


def test_an_allowed_origin_reads_the_api_and_its_refusals(corpus_index):
    with TestClient(make_app(corpus_index, cors_origins=(SITE,), rate_limit=2, rate_window=60.0)) as client:
        origin = {"Origin": SITE}
        preflight = client.options("/api/v1/search", headers={
            **origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"})
        assert preflight.status_code == 204
        assert preflight.headers["access-control-allow-origin"] == SITE
        assert preflight.headers["access-control-allow-methods"] == "GET"
        # A preflight carries the security headers and is counted by the rate limit like any request.
        assert preflight.headers["content-security-policy"].startswith("default-src 'self'")
        assert client.get("/api/v1/search?q=ess", headers=origin).status_code == 200
        refused = client.get("/api/v1/search?q=ess", headers=origin)
        assert refused.status_code == 429
        assert refused.headers["access-control-allow-origin"] == SITE
        assert "Retry-After" in refused.headers["access-control-expose-headers"]
        assert refused.json()["error"]["message"].startswith("trop de requêtes")
        again = client.options("/api/v1/search", headers={**origin, "Access-Control-Request-Method": "GET"})
        assert again.status_code == 429 and again.headers["access-control-allow-origin"] == SITE


def test_an_allowed_origin_reads_a_500_too(corpus_index):
    app = make_app(corpus_index, cors_origins=(SITE,))

    @app.get("/api/v1/panne")
    def broken():
        raise RuntimeError("panne simulée")

    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/api/v1/panne", headers={"Origin": SITE})
    assert answer.status_code == 500 and answer.headers["access-control-allow-origin"] == SITE
    assert answer.json()["error"]["message"] == "erreur interne du serveur"


def test_a_preflight_from_an_unknown_origin_or_for_a_write_is_refused_in_french(client):
    unknown = client.options("/api/v1/search", headers={"Origin": OTHER, "Access-Control-Request-Method": "GET"})
    assert unknown.status_code == 400 and "access-control-allow-origin" not in unknown.headers
    assert unknown.json()["error"]["message"] == f"origine non autorisée : {OTHER} (voir serve --cors-origin)"
    write = client.options("/api/v1/search", headers={"Origin": SITE, "Access-Control-Request-Method": "DELETE"})
    assert write.status_code == 400 and "GET seulement" in write.json()["error"]["message"]


def test_pages_may_be_framed_only_by_the_sites_named(corpus_index, client):
    assert "frame-ancestors 'self';" not in client.get("/").headers["content-security-policy"]
    assert client.get("/").headers["content-security-policy"].endswith("frame-ancestors 'self'")
    with TestClient(make_app(corpus_index, frame_ancestors=("https://www.rtes.fr",))) as framed:
        policy = framed.get("/").headers["content-security-policy"]
    assert policy == "default-src 'self'; frame-ancestors 'self' https://www.rtes.fr"
    crashing = make_app(corpus_index, frame_ancestors=("https://www.rtes.fr",))

    @crashing.get("/panne")
    def broken():
        raise RuntimeError("panne simulée")

    with TestClient(crashing, raise_server_exceptions=False) as framed:
        answer = framed.get("/panne")
    assert answer.status_code == 500 and answer.headers["content-security-policy"] == policy, "a 500 page too"
    with pytest.raises(ValueError, match="encadrer"):
        Settings.from_env({}, frame_ancestors=("https://x.example; script-src *",))


def test_opensearch_description_is_absolute_from_the_settings_never_the_host_header(corpus_index, client):
    answer = client.get("/opensearch.xml", headers={"Host": "evil.example"})
    assert answer.headers["content-type"].startswith("application/opensearchdescription+xml")
    root = ElementTree.fromstring(answer.content)
    assert root.findtext(OPENSEARCH + "ShortName") == "Ressources RTES"
    templates = {url.get("type"): url.get("template") for url in root.iter(OPENSEARCH + "Url")}
    assert templates == {
        "text/html": "http://127.0.0.1:8000/?q={searchTerms}",
        "application/x-suggestions+json": "http://127.0.0.1:8000/api/v1/suggest?q={searchTerms}&format=opensearch",
        "application/opensearchdescription+xml": "http://127.0.0.1:8000/opensearch.xml",
    }
    with TestClient(make_app(corpus_index, public_url="https://recherche.rtes.fr/")) as public:
        assert "https://recherche.rtes.fr/?q={searchTerms}" in public.get("/opensearch.xml").text
    page = client.get("/")
    assert '<link rel="search" type="application/opensearchdescription+xml" title="Ressources RTES" ' \
           'href="/opensearch.xml">' in page.text


def test_suggestions_in_the_opensearch_format(client):
    answer = client.get("/api/v1/suggest", params={"q": "march", "format": "opensearch", "limit": 3})
    assert answer.headers["content-type"].startswith("application/x-suggestions+json")
    query, completions = answer.json()
    same = client.get("/api/v1/suggest", params={"q": "march", "limit": 3}).json()["suggestions"]
    assert query == "march" and completions == same and "Marchés" in completions and len(completions) == 3


def test_the_favicon_is_an_icon(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00" and b"PNG" in icon.content[:64]


def test_feed_links_come_from_the_public_address_not_the_host_header(corpus_index, client):
    parsed = feedparser.parse(client.get("/feed?q=marchés", headers={"Host": "evil.example"}).content)
    links = [link["href"] for entry in parsed.entries for link in entry.links] + [parsed.feed.link]
    assert links and not any("evil.example" in link for link in links)
    assert f"http://127.0.0.1:8000/documents/{WEBINAR}" in links
    with TestClient(make_app(corpus_index, public_url="https://recherche.rtes.fr")) as public:
        body = public.get("/feed?q=marchés", headers={"Host": "evil.example"}).text
    assert f'href="https://recherche.rtes.fr/documents/{WEBINAR}"' in body and "evil.example" not in body
    assert 'href="https://recherche.rtes.fr/feed?q=march%C3%A9s"' in body


def test_listening_on_every_address_writes_relative_links_with_xml_base(corpus_index):
    with TestClient(make_app(corpus_index, host="0.0.0.0")) as client:
        body = client.get("/feed?q=marchés", headers={"Host": "evil.example"}).content
    root = ElementTree.fromstring(body)
    assert root.get("{http://www.w3.org/XML/1998/namespace}base") == "/"
    assert f'href="/documents/{WEBINAR}"'.encode() in body and b"evil.example" not in body


def test_workers_get_the_public_address_and_the_framing_sites(tmp_path):
    parent = Settings(index_dir=tmp_path, public_url="https://recherche.rtes.fr/", host="0.0.0.0", port=8080,
                      frame_ancestors=("https://www.rtes.fr",))
    worker = Settings.from_env({"RTES_SEARCH_PUBLIC_URL": "https://ancien.example/", **settings_environment(parent)})
    assert (worker.public_url, worker.host, worker.port, worker.frame_ancestors) == (
        "https://recherche.rtes.fr/", "0.0.0.0", 8080, ("https://www.rtes.fr",))


def test_every_worker_writes_links_from_the_public_address(corpus_index):
    with served(corpus_index, "--workers", "2", "--public-url", "https://recherche.rtes.fr") as base:
        answers = [httpx2.get(base + "/opensearch.xml", headers={"Host": "evil.example"}).text for _ in range(6)]
    assert all("https://recherche.rtes.fr/?q={searchTerms}" in text and "evil" not in text for text in answers)


def test_serve_refuses_a_public_address_that_is_not_one(corpus_index):
    done = subprocess.run([RTES, "serve", "--index-dir", str(corpus_index), "--public-url", "recherche.rtes.fr"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "adresse publique invalide : 'recherche.rtes.fr'" in done.stderr
    assert "Traceback" not in done.stderr
