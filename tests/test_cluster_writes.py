"""The write API against the real test cluster: a real ``rtes-search serve --cluster`` with write and read tokens.

PUT, update, DELETE and an NDJSON batch go through the server into the
aliased collection; each is searchable within 1 s through the API, with
its facet counts and completions, and an indexing run afterwards keeps
the pushed documents. The cluster's key comes from the environment, never
from the command line.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest

from push_support import SCIC, WRITE_TOKEN, call, forget_locks  # noqa: F401  (a fixture)
from cluster_support import index_into, rtes, wait_for
from conftest import CORPUS, ROOT
from http_support import TOKEN

pytestmark = pytest.mark.xdist_group("cluster")


@contextmanager
def served_cluster(address: str, env: dict):
    """A real ``rtes-search serve --cluster`` on a free port: its base URL; stopped on exit."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-c", "from search.cli import main; main()", "serve", "--port", str(port),
         "--workers", "2", "--cluster", address], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        def listening():
            assert server.poll() is None, server.stderr.read().decode()
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return True
            except OSError:
                return False

        wait_for(listening, 60, "the server listening")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(30)


def get(base, path, **params):
    status, answer = call(base, "GET", f"{path}?{urllib.parse.urlencode(params)}", token=TOKEN)
    assert status == 200, answer
    return answer


def within_a_second(check, what: str):
    """``check()`` true within 1 s of now (polled, the answer is not timed more finely)."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < 1.0, f"pas en 1 s : {what}"
        time.sleep(0.02)


def hits(base, query) -> list[str]:
    return [hit["id"] for hit in get(base, "/api/v1/search", q=query)["hits"]]


def grenoble(base) -> int:
    return get(base, "/api/v1/facets")["territory"].get("Grenoble (38)", 0)


def test_put_update_delete_batch_through_a_server_on_the_cluster(typesense_cluster, tmp_path, forget_locks):
    local, _ = typesense_cluster
    address = index_into(local, "rtes-ecritures", CORPUS)
    forget_locks(address)
    without_key = address.replace(f"{local.api_key}@", "")
    tokens = tmp_path / "ecriture.txt"
    tokens.write_text(f"{WRITE_TOKEN}\n")
    env = {**os.environ, "RTES_SEARCH_CLUSTER_KEY": local.api_key, "RTES_SEARCH_CLUSTER_KEY_FILE": "",
           "RTES_SEARCH_CLUSTER": "", "RTES_SEARCH_TOKENS": TOKEN, "RTES_SEARCH_WRITE_TOKENS_FILE": str(tokens),
           "RTES_SEARCH_WRITE_RATE_LIMIT": "0"}
    with served_cluster(without_key, env) as base:
        before = grenoble(base)
        total = get(base, "/api/v1/search", q="")["total"]

        assert call(base, "PUT", "/api/v1/documents/scic", SCIC) == (200, {"id": "scic", "status": "added"})
        within_a_second(lambda: hits(base, "ressourcerie") == ["scic"], "the pushed document found")
        within_a_second(lambda: grenoble(base) == before + 1, "its territory counted")
        within_a_second(lambda: any("ressourcerie" in s.lower() for s in get(base, "/api/v1/suggest", q="ressourc")["suggestions"]),
                        "completed")
        assert get(base, "/api/v1/search", q="")["total"] == total + 1
        assert call(base, "PUT", "/api/v1/documents/scic", SCIC)[1]["status"] == "unchanged"

        assert call(base, "PUT", "/api/v1/documents/scic",
                    {**SCIC, "text": "La Ville de Grenoble (38) ouvre une recyclerie solidaire."}) == (200, {"id": "scic", "status": "updated"})
        within_a_second(lambda: hits(base, "recyclerie") == ["scic"] and not hits(base, "ressourcerie"),
                        "the update found, the old text gone")
        assert grenoble(base) == before + 1   # still one document there, counted once

        assert call(base, "DELETE", "/api/v1/documents/scic") == (200, {"id": "scic", "status": "deleted"})
        within_a_second(lambda: hits(base, "recyclerie") == [] and grenoble(base) == before, "deleted, counts back")
        status, missing = call(base, "DELETE", "/api/v1/documents/scic")
        assert status == 404 and "inconnue" in missing["error"]["message"]

        lines = [json.dumps({"id": f"lot-{n}", **SCIC}) for n in range(3)]
        lines.insert(1, json.dumps({"id": "mauvais", **SCIC, "date": "2018-06-31"}))
        status, report = call(base, "POST", "/api/v1/documents", "\n".join(lines).encode(),
                              content_type="application/x-ndjson")
        assert status == 200, report
        assert (report["added"], report["skipped"], report["documents"]) == (3, 1, total + 3)
        assert report["errors"][0]["line"] == 2 and "date" in report["errors"][0]["reason"]
        within_a_second(lambda: sorted(hits(base, "ressourcerie")) == ["lot-0", "lot-1", "lot-2"], "the batch found")
        within_a_second(lambda: grenoble(base) == before + 3, "the batch counted")

        assert call(base, "PUT", "/api/v1/documents/x", SCIC, token=TOKEN)[0] == 403

        # A file, read by the ingesters of ``index``: its document in the collection, then gone again.
        note = ("---\ntitle: Note sur la recyclerie\n---\n\nUne note sur la ressourcerie de Grenoble (38).\n").encode()
        boundary = "limite-rtes"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"note.md\"\r\n"
                f"Content-Type: text/markdown\r\n\r\n").encode() + note + f"\r\n--{boundary}\r\n".encode() + (
                f"Content-Disposition: form-data; name=\"id\"\r\n\r\nnote-fichier\r\n--{boundary}--\r\n").encode()
        status, sent = call(base, "POST", "/api/v1/files", body, content_type=f"multipart/form-data; boundary={boundary}")
        assert (status, sent["documents"]) == (200, [{"id": "note-fichier", "status": "added"}]), sent
        within_a_second(lambda: "note-fichier" in hits(base, "ressourcerie"), "the file's document found")
        assert call(base, "DELETE", "/api/v1/documents/note-fichier")[0] == 200
        within_a_second(lambda: grenoble(base) == before + 3, "the file's document uncounted")

        # Writers at once, spread over both workers: serialised, every one counted.
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda n: call(base, "PUT", f"/api/v1/documents/ensemble-{n}", SCIC), range(16)))
        assert {answer for answer, _ in answers} == {200}
        within_a_second(lambda: grenoble(base) == before + 19, "16 concurrent writes counted")

    searched = rtes("search", "ressourcerie", "--cluster", without_key, "--json", "--limit", "50", env=env)
    assert searched.returncode == 0, searched.stderr
    assert json.loads(searched.stdout)["total"] == 19   # the command line sees them too

    # Indexing runs keep what was pushed (it is no file of the sources), with its counts.
    for option in ("--prune", "--rebuild"):
        done = rtes("index", CORPUS, "--cluster", without_key, option, "--json", "-q", env=env)
        assert done.returncode == 0, done.stderr
        assert (json.loads(done.stdout)["deleted"], json.loads(done.stdout)["documents"]) == (0, total + 19)
    with served_cluster(without_key, env) as base:
        assert grenoble(base) == before + 19 and len(hits(base, "ressourcerie")) == 10


def test_the_python_api_writes_into_a_cluster(typesense_cluster, forget_locks):
    from indexer import delete_documents, pushed_document, update_documents
    from search import open_searcher

    local, _ = typesense_cluster
    address = index_into(local, "rtes-python", CORPUS)
    forget_locks(address)
    doc = pushed_document("scic", SCIC)
    assert [r.status for r in update_documents(address, [doc])] == ["added"]
    assert [r.status for r in update_documents(address, [doc])] == ["unchanged"]
    with open_searcher(address) as searcher:
        wait_for(lambda: [h.id for h in searcher.search("ressourcerie").hits] == ["scic"], 1, "found")
    assert [r.status for r in delete_documents(address, ["scic", "inconnu"])] == ["deleted", "missing"]




def test_a_push_reads_what_the_collection_holds_in_one_request(typesense_cluster, forget_locks, monkeypatch):
    """Before writing, a push reads each document's hash and facets: by id, 250 per search, all in one
    request (one request per document before), an id holding a backtick read alone; statuses and
    facet counts come out as they did."""
    from indexer import pushed_document
    from indexer.cluster import parse_cluster_url
    from indexer.cluster.push import ClusterPushes
    from search.cluster import ClusterSearcher

    local, _ = typesense_cluster
    address = index_into(local, "rtes-states", CORPUS)
    forget_locks(address)
    docs = [pushed_document(doc_id, SCIC) for doc_id in [f"lot-{n}" for n in range(300)] + ["lot-`quoted`"]]
    with ClusterSearcher(address) as searcher:
        before = searcher.facet_counts(False)["territory"]
    with ClusterPushes(parse_cluster_url(address)) as pushes:
        assert {r.status for r in pushes.put(docs)} == {"added"}
        read_alone, requests = [], []
        state, perform = ClusterPushes._state, type(pushes.client.multi_search).perform
        monkeypatch.setattr(ClusterPushes, "_state",
                            lambda self, collection, doc_id: read_alone.append(doc_id) or state(self, collection, doc_id))
        monkeypatch.setattr(type(pushes.client.multi_search), "perform",
                            lambda self, body, *args: requests.append(len(body["searches"])) or perform(self, body, *args))
        changed = pushed_document("lot-150", dict(SCIC, title="Un autre titre"))
        statuses = [r.status for r in pushes.put(docs[:150] + [changed] + docs[151:])]
        assert statuses == ["unchanged"] * 150 + ["updated"] + ["unchanged"] * 150
        assert read_alone == ["lot-`quoted`"] and requests == [2]
        assert [r.status for r in pushes.delete(["lot-0", "inconnu"])] == ["deleted", "missing"]
    with ClusterSearcher(address) as searcher:
        after = searcher.facet_counts(False)["territory"]
    grown = {value: n - before.get(value, 0) for value, n in after.items() if n != before.get(value, 0)}
    assert grown and set(grown.values()) == {300}, grown
