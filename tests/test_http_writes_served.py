"""The write API end to end: a real ``rtes-search serve`` with write and read tokens, killed with SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.error
import urllib.request

import pytest

from push_support import SCIC, WRITE_TOKEN, index_dir  # noqa: F401  (a fixture)
from http_support import TOKEN, served





@pytest.fixture
def env(tmp_path):
    tokens = tmp_path / "ecriture.txt"
    tokens.write_text(f"# jetons d'écriture\n{WRITE_TOKEN}\n")
    return {**os.environ, "RTES_SEARCH_TOKENS": TOKEN, "RTES_SEARCH_WRITE_TOKENS_FILE": str(tokens),
            "RTES_SEARCH_WRITE_RATE_LIMIT": "0"}


def call(base, method, path, body=None, token=WRITE_TOKEN, content_type="application/json"):
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def found(base, query, token=TOKEN) -> list[str]:
    status, results = call(base, "GET", f"/api/v1/search?q={query}", token=token)
    assert status == 200, results
    return [hit["id"] for hit in results["hits"]]


def wait_for(base, query, expected, seconds=1.0) -> None:
    started = time.monotonic()
    while found(base, query) != expected:
        assert time.monotonic() - started < seconds, f"{query} : {found(base, query)} au lieu de {expected}"
        time.sleep(0.02)


def test_put_update_delete_batch_over_a_real_server_with_two_workers(index_dir, env):
    with served(index_dir, "--workers", "2", env=env) as base:
        assert call(base, "PUT", "/api/v1/documents/scic", SCIC) == (200, {"id": "scic", "status": "added"})
        wait_for(base, "ressourcerie", ["scic"])
        assert all(found(base, "ressourcerie") == ["scic"] for _ in range(20))  # whichever worker answers
        assert call(base, "PUT", "/api/v1/documents/scic", {**SCIC, "text": "Une recyclerie."})[1]["status"] == "updated"
        wait_for(base, "recyclerie", ["scic"])
        assert call(base, "DELETE", "/api/v1/documents/scic") == (200, {"id": "scic", "status": "deleted"})
        wait_for(base, "recyclerie", [])
        batch = b"\n".join(json.dumps({"id": f"lot-{n}", **SCIC}).encode() for n in range(50))
        status, report = call(base, "POST", "/api/v1/documents", batch, content_type="application/x-ndjson")
        assert status == 200 and (report["added"], report["documents"]) == (50, 60)
        status, results = call(base, "GET", "/api/v1/search?q=ressourcerie&limit=100", token=WRITE_TOKEN)
        assert results["total"] == 50
        assert call(base, "PUT", "/api/v1/documents/x", SCIC, token=TOKEN)[0] == 403


def test_a_write_answered_200_survives_sigkill(index_dir, env):
    server: list = []
    with served(index_dir, env=env, server=server) as base:
        assert call(base, "PUT", "/api/v1/documents/survivant", SCIC)[0] == 200
        server[0].send_signal(signal.SIGKILL)  # at once: the commit may not have happened
        server[0].wait(10)
    with served(index_dir, env=env) as base:
        wait_for(base, "ressourcerie", ["survivant"], seconds=3.0)
