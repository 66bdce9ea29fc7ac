"""The cluster's API key kept off command lines: from a file or the environment, never shown by ``ps``.

An address given on a command line is readable by every user of the
machine (``ps``, ``/proc/PID/cmdline``); the key may instead sit in a file
(``RTES_SEARCH_CLUSTER_KEY_FILE``) or a variable (``RTES_SEARCH_CLUSTER_KEY``).
The end-to-end test serves a real cluster with two workers and reads every
process's command line.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx2
import pytest

from indexer.cluster import ClusterAddressError, parse_cluster_url

from cluster_support import documents_per_node, rtes, wait_for
from conftest import CORPUS, ROOT

pytestmark = pytest.mark.xdist_group("cluster")
NODES = "typesense://127.0.0.1:8108,127.0.0.1:8109/rtes"


def test_an_address_without_key_takes_the_file_first_then_the_variable(tmp_path):
    key_file = tmp_path / "cle"
    key_file.write_text("cle-du-fichier\n")
    both = {"RTES_SEARCH_CLUSTER_KEY_FILE": str(key_file), "RTES_SEARCH_CLUSTER_KEY": "cle-de-variable"}
    assert parse_cluster_url(NODES, both).api_key == "cle-du-fichier"
    assert parse_cluster_url(NODES, {"RTES_SEARCH_CLUSTER_KEY": "cle-de-variable"}).api_key == "cle-de-variable"
    assert parse_cluster_url(NODES.replace("//", "//cle-de-l-adresse@"), both).api_key == "cle-de-l-adresse"


@pytest.mark.parametrize("content, message", [(None, "fichier de clé du cluster illisible"),
                                              ("\n", "fichier de clé du cluster vide"),
                                              (b"\xff\xfe", "fichier de clé du cluster illisible")])
def test_an_unusable_key_file_is_said_in_french(tmp_path, content, message):
    key_file = tmp_path / "cle"
    if isinstance(content, bytes):
        key_file.write_bytes(content)
    elif content is not None:
        key_file.write_text(content)
    with pytest.raises(ClusterAddressError) as caught:
        parse_cluster_url(NODES, {"RTES_SEARCH_CLUSTER_KEY_FILE": str(key_file)})
    assert message in str(caught.value) and str(key_file) in str(caught.value)


def test_no_key_anywhere_says_where_to_put_it():
    with pytest.raises(ClusterAddressError) as caught:
        parse_cluster_url(NODES, {})
    assert "sans clé d'API" in str(caught.value) and "RTES_SEARCH_CLUSTER_KEY_FILE" in str(caught.value)


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it, from ``/proc``."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += [child for child, parent in parents.items() if parent == current]
    return found


def _command_lines(pids: list[int]) -> list[str]:
    lines = []
    for pid in pids:
        try:
            lines.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue
    return lines


def test_serve_with_workers_and_a_key_file_shows_the_key_on_no_command_line(typesense_cluster, tmp_path):
    local, _ = typesense_cluster
    key_file = tmp_path / "typesense.key"
    key_file.write_text(local.api_key + "\n")
    key_file.chmod(0o600)
    without_key = local.url("rtes-cle").replace(f"{local.api_key}@", "")
    assert local.api_key not in without_key
    env = {**os.environ, "RTES_SEARCH_CLUSTER_KEY_FILE": str(key_file), "RTES_SEARCH_CLUSTER_KEY": "",
           "RTES_SEARCH_CLUSTER": ""}
    indexed = rtes("index", CORPUS, "--cluster", without_key, "--json", "-q", env=env)
    assert indexed.returncode == 0, indexed.stderr
    wait_for(lambda: documents_per_node(local, "rtes-cle") == [10] * len(local.nodes), 30, "10 on every node")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-c", "from search.cli import main; main()", "serve", "--port", str(port),
         "--workers", "2", "--cluster", without_key], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        def answered():
            try:
                return httpx2.get(f"http://127.0.0.1:{port}/api/v1/search", params={"q": "ESS"}, timeout=5)
            except httpx2.HTTPError:
                assert server.poll() is None, server.stderr.read().decode()
                return None

        answer = wait_for(answered, 60, "the server answering")
        assert answer.status_code == 200 and answer.json()["total"] > 0
        processes = _descendants(server.pid)
        lines = _command_lines(processes)
        assert len(processes) >= 3 and len(lines) >= 3   # the server and its two workers
        assert not [line for line in lines if local.api_key in line]
    finally:
        server.terminate()
        server.wait(30)
