"""What the write API's tests share: a copy of the corpus index to write into, a document, a write token."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request

import pytest

WRITE_TOKEN = "jeton-ecriture-test-91c2"
# A short news item: its type, date and territories come from its text.
SCIC = {"title": "Retour sur la rencontre du 12 mars 2021 à Grenoble",
        "text": "La Ville de Grenoble (38) soutient une ressourcerie en SCIC depuis mars 2021."}


@pytest.fixture
def index_dir(corpus_index, tmp_path):
    """A private copy of the corpus index (each test writes into its own)."""
    target = tmp_path / "index"
    shutil.copytree(corpus_index, target, symlinks=True)
    return target


def call(base, method, path, body=None, token=WRITE_TOKEN, content_type="application/json"):
    """``(status, JSON answer)`` of one request to a served API, with ``token`` as bearer."""
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def forget_locks():
    """``forget(address)``: the lock file the cluster writes of ``address`` leave in the temporary
    folder (``indexer.cluster.push``) is removed after the test, whatever happens (a test's alias is used once)."""
    from indexer.cluster import parse_cluster_url
    from indexer.cluster.push import ClusterPushes

    addresses: list[str] = []
    yield addresses.append
    for address in addresses:
        with ClusterPushes(parse_cluster_url(address)) as pushes:
            pushes.lock_path.unlink(missing_ok=True)
