"""The write API over HTTP (framework test client): tokens, statuses, batches, limits, errors in French."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from search.http.auth import hash_token
from search.http.limits import MAX_BATCH_BYTES, MAX_FILE_BYTES

from push_support import SCIC, WRITE_TOKEN, forget_locks, index_dir  # noqa: F401  (fixtures)
from conftest import CORPUS, WEBINAR
from http_support import TOKEN, make_app

WRITE = {"Authorization": f"Bearer {WRITE_TOKEN}"}




@pytest.fixture
def client(index_dir):
    app = make_app(index_dir, write_token_hashes=frozenset({hash_token(WRITE_TOKEN)}))
    with TestClient(app) as test_client:
        yield test_client


def ids(client, query="ressourcerie") -> list[str]:
    return [hit["id"] for hit in client.get("/api/v1/search", params={"q": query}).json()["hits"]]


def searchable_within(client, query, expected, seconds=1.0) -> float:
    """Seconds until the search of ``query`` gives ``expected`` (fails past ``seconds``)."""
    started = time.monotonic()
    while ids(client, query) != expected:
        assert time.monotonic() - started < seconds, f"{query!r} : toujours {ids(client, query)}"
        time.sleep(0.02)
    return time.monotonic() - started


def test_put_update_delete_each_searchable_within_a_second(client):
    answer = client.put("/api/v1/documents/ressourcerie-grenoble", json=SCIC, headers=WRITE)
    assert answer.status_code == 200 and answer.json() == {"id": "ressourcerie-grenoble", "status": "added"}
    searchable_within(client, "ressourcerie", ["ressourcerie-grenoble"])
    shown = client.get("/api/v1/documents/ressourcerie-grenoble").json()
    assert (shown["type"], shown["date"], shown["territories"][-1]) == ("Retour de rencontre", "2021-03-12", "Grenoble (38)")
    again = client.put("/api/v1/documents/ressourcerie-grenoble", json=SCIC, headers=WRITE)
    assert again.json()["status"] == "unchanged"
    changed = client.put("/api/v1/documents/ressourcerie-grenoble", json={**SCIC, "text": "Une recyclerie."},
                         headers=WRITE)
    assert changed.json()["status"] == "updated"
    searchable_within(client, "recyclerie", ["ressourcerie-grenoble"])
    gone = client.delete("/api/v1/documents/ressourcerie-grenoble", headers=WRITE)
    assert gone.json() == {"id": "ressourcerie-grenoble", "status": "deleted"}
    searchable_within(client, "recyclerie", [])
    missing = client.delete("/api/v1/documents/ressourcerie-grenoble", headers=WRITE)
    assert missing.status_code == 404 and "inconnue" in missing.json()["error"]["message"]


def test_a_batch_reports_bad_lines_by_number_and_keeps_the_others(client):
    lines = [
        json.dumps({"id": "scic-1", **SCIC}),
        "{pas du json",
        json.dumps({"id": "scic-2", **SCIC, "date": "2018-06-31"}),
        "",
        json.dumps({"id": "scic-3", **SCIC, "text": "\udfff ressourcerie"}),
        json.dumps({"id": WEBINAR, "title": "Marchés réservés", "text": "Un webinaire sur la ressourcerie."}),
        json.dumps({"title": "sans identifiant"}),
    ]
    answer = client.post("/api/v1/documents", content="\n".join(lines).encode("utf-8", "surrogatepass"),
                         headers={**WRITE, "Content-Type": "application/x-ndjson"})
    report = answer.json()
    assert answer.status_code == 200
    assert (report["added"], report["updated"], report["skipped"], report["documents"]) == (1, 1, 4, 11)
    assert [(e["line"], e["reason"].split(" :")[0]) for e in report["errors"]] == [
        (2, "JSON invalide"), (3, "champ « date » invalide"), (5, "champ « text » invalide"),
        (7, "champ « id » invalide")]
    assert sorted(ids(client)) == sorted(["scic-1", WEBINAR])  # a batch is searchable when answered


def test_tokens_say_who_may_write(client, index_dir):
    put = lambda **headers: client.put("/api/v1/documents/x", json=SCIC, headers=headers)  # noqa: E731
    anonymous, reader, wrong = put(), put(Authorization=f"Bearer {TOKEN}"), put(Authorization="Bearer faux")
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Bearer")
    assert reader.status_code == 403 and "lecture seulement" in reader.json()["error"]["message"]
    assert "insufficient_scope" in reader.headers["www-authenticate"]
    assert wrong.status_code == 401 and "invalide" in wrong.json()["error"]["message"]
    for answer in (anonymous, reader, wrong):
        assert answer.headers["x-content-type-options"] == "nosniff"
    with TestClient(make_app(index_dir)) as no_writes:
        off = no_writes.put("/api/v1/documents/x", json=SCIC, headers=WRITE)
    assert off.status_code == 403 and "écritures désactivées" in off.json()["error"]["message"]


def test_bad_fields_answer_400_naming_them(client):
    for body, param in (({**SCIC, "year": "vingt"}, "year"), ({**SCIC, "url": "javascript:alert(1)"}, "url"),
                        ({**SCIC, "titre": "x"}, "titre"), ({"text": "sans titre"}, "title")):
        answer = client.put("/api/v1/documents/x", json=body, headers=WRITE)
        assert answer.status_code == 400 and answer.json()["error"]["param"] == param, body
    broken = client.put("/api/v1/documents/x", content=b"{", headers=WRITE)
    assert broken.status_code == 400 and broken.json()["error"]["param"] == "document"


def test_bodies_have_the_writes_own_limits_chunked_included(client):
    big = json.dumps({**SCIC, "text": "mot " * 20_000})  # 80 KB: over the reads' 16 KB, fine for a write
    assert client.put("/api/v1/documents/long", content=big, headers=WRITE).status_code == 200

    def chunks():
        for _ in range(MAX_BATCH_BYTES // 2**16 + 2):
            yield b" " * 2**16

    too_big = client.post("/api/v1/documents", content=chunks(), headers=WRITE)
    assert too_big.status_code == 413 and "10 Mo" in too_big.json()["error"]["message"]
    lines = "\n".join(json.dumps({"id": f"d{n}", "title": "t"}) for n in range(10_001))
    assert client.post("/api/v1/documents", content=lines, headers=WRITE).status_code == 413


def test_writes_are_limited_per_write_token(index_dir):
    app = make_app(index_dir, write_token_hashes=frozenset({hash_token(WRITE_TOKEN)}), write_rate_limit=2)
    with TestClient(app) as limited:
        statuses = [limited.put(f"/api/v1/documents/d{n}", json=SCIC, headers=WRITE).status_code for n in range(3)]
        assert statuses == [200, 200, 429]
        assert limited.get("/api/v1/search?q=ressourcerie").status_code == 200  # reads have their own budget


FIXTURES = Path(__file__).parent / "fixtures" / "site"
PDF = FIXTURES / "sites" / "default" / "files" / "rapport-activite-2021.pdf"
PAGE = FIXTURES / "plain" / "pages" / "actualites-collecte-textile-printemps.html"


def upload(client, path: Path, name: str | None = None, **fields):
    return client.post("/api/v1/files", files={"file": (name or path.name, path.read_bytes())}, data=fields,
                       headers=WRITE)


def test_a_file_is_read_by_the_ingesters_of_index(client):
    answer = upload(client, PDF, id="rapport-2021", themes="Réemploi,Insertion", private="false")
    assert answer.status_code == 200
    assert answer.json() == {"documents": [{"id": "rapport-2021", "status": "added"}], "errors": []}
    page = upload(client, PAGE, title="Collecte de textile (printemps)")
    assert page.json()["documents"] == [{"id": "actualites-collecte-textile-printemps", "status": "added"}]
    searchable_within(client, "\"collecte de textile\"", ["actualites-collecte-textile-printemps"])
    shown = client.get("/api/v1/documents/rapport-2021").json()
    assert shown["themes"] == ["Réemploi", "Insertion"] and shown["source"] == "api"
    assert client.get("/api/v1/documents/actualites-collecte-textile-printemps").json()["title"] == \
        "Collecte de textile (printemps)"


def test_office_and_markdown_files_come_through_the_same_ingesters(client):
    formats = Path(__file__).parent / "fixtures" / "formats"
    statuses = {path.name: upload(client, path).json() for path in
                (formats / "rencontre-clermont.docx", formats / "guide-achats-responsables.odt",
                 formats / "marches-publics.md")}
    assert all(answer["documents"][0]["status"] == "added" for answer in statuses.values()), statuses
    searchable_within(client, "\"clauses sociales pas à pas\"", ["marches-publics"])
    markdown = client.get(f"/api/v1/documents/{statuses['marches-publics.md']['documents'][0]['id']}").json()
    assert (markdown["title"], markdown["date"]) == ("Marchés publics : les clauses sociales pas à pas", "2019-04-15")


def test_a_file_of_several_resources_is_pushed_whole(client):
    export = upload(client, CORPUS / "rtes-ressources-export.txt")
    assert [d["status"] for d in export.json()["documents"]] == ["updated"] * 10  # now pushed: source api
    named = upload(client, CORPUS / "rtes-ressources-export.txt", id="un-seul")
    assert named.status_code == 400 and named.json()["error"]["param"] == "id"


def test_files_that_cannot_be_read_are_said(client):
    unknown = client.post("/api/v1/files", files={"file": ("image.xyz", b"\x89PNG")}, headers=WRITE)
    assert unknown.status_code == 400 and unknown.json()["error"] == {
        "status": 400, "message": "champ « file » invalide : format non pris en charge : .xyz", "param": "file"}
    bad_date = upload(client, PAGE, date="2018-06-31")
    assert bad_date.status_code == 400 and bad_date.json()["error"]["param"] == "date"
    no_file = client.post("/api/v1/files", data={"id": "x"}, headers=WRITE)
    assert no_file.status_code == 400 and no_file.json()["error"]["param"] == "file"
    too_big = client.post("/api/v1/files", files={"file": ("gros.txt", b"x" * (MAX_FILE_BYTES + 1))}, headers=WRITE)
    assert too_big.status_code == 413


def test_a_write_to_an_unreachable_cluster_is_a_french_503_without_the_key(forget_locks):
    """Writes go to the cluster (``tests/test_cluster_writes.py``); one nobody answers on says so."""
    from search.http import Settings, create_app

    forget_locks("typesense://cle-secrete@127.0.0.1:9/rtes")
    app = create_app(Settings(index_dir="typesense://cle-secrete@127.0.0.1:9/rtes", rate_limit=0,
                              write_token_hashes=frozenset({hash_token(WRITE_TOKEN)})))
    with TestClient(app) as on_cluster:
        answer = on_cluster.put("/api/v1/documents/x", json=SCIC, headers=WRITE)
        unauthorised = on_cluster.put("/api/v1/documents/x", json=SCIC)
    message = answer.json()["error"]["message"]
    assert answer.status_code == 503 and message.startswith("écriture non faite") and "cle-secrete" not in message
    assert unauthorised.status_code == 401



def test_a_write_to_a_malformed_cluster_address_is_a_french_503():
    from search.http import Settings, create_app

    app = create_app(Settings(index_dir="typesense://cle-secrete@127.0.0.1:port/rtes", rate_limit=0,
                              write_token_hashes=frozenset({hash_token(WRITE_TOKEN)})))
    with TestClient(app) as on_cluster:
        answer = on_cluster.put("/api/v1/documents/x", json=SCIC, headers=WRITE)
    message = answer.json()["error"]["message"]
    assert answer.status_code == 503 and message.startswith("écriture non faite") and "cle-secrete" not in message
