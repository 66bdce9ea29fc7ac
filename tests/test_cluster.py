"""A real 3-node Typesense cluster, started by these tests and stopped by them (never a mock).

One cluster per test session (the tests of this module run on one xdist
worker: ``xdist_group``), started and stopped through the command line, as a
user would. Each test writes under its own alias, so tests do not see each
other's documents. Faults: the leader killed with SIGKILL during an
indexing run, a node restarted, a rebuild killed in the middle, a wrong API
key, an unreachable cluster.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.cluster import ClusterAddress, Connection, parse_cluster_url
from search.cluster import LocalCluster, cluster_status
from search.cluster.server import process_start_time, reap

from conftest import CORPUS, ROOT

pytestmark = pytest.mark.xdist_group("cluster")

CDTN = ROOT / "data" / "cdtn-datafiller-2020" / "corpus.jsonl.gz"
JSONL = ["--id-field", "doc_id", "--title-field", "title", "--text-field", "text"]


def rtes(*args, timeout: float = 180) -> subprocess.CompletedProcess:
    """Run the command line in a child process, as a user would."""
    return subprocess.run(
        [sys.executable, "-c", "from search.cli import main; main()", *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout,
    )


def spawn(*args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "from search.cli import main; main()", *map(str, args)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Three nodes started by ``rtes-search cluster start``, stopped by ``cluster stop`` at the end."""
    directory = tmp_path_factory.mktemp("cluster")
    started = rtes("cluster", "start", "--nodes", 3, "--dir", directory, "--json")
    assert started.returncode == 0, started.stderr
    info = json.loads(started.stdout)
    local = LocalCluster.load(directory)
    try:
        yield local, info
    finally:
        stopped = rtes("cluster", "stop", "--dir", directory, "--json")
        pids = [node.pid for node in LocalCluster.load(directory).nodes] + [n["pid"] for n in info["nodes"]]
        for pid in pids:
            if pid:
                reap(pid)  # nodes restarted by a test are this process's children
        assert stopped.returncode == 0, stopped.stderr
        assert [pid for pid in pids if pid and process_start_time(pid) is not None] == []


def url(local: LocalCluster, alias: str) -> str:
    return local.url(alias)


def documents_per_node(local: LocalCluster, alias: str) -> list[int | None]:
    return [node.documents for node in cluster_status(local.address(alias)).nodes]


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"pas atteint en {timeout} s : {what}")


def cdtn_sample(path: Path, count: int, skip: int = 0) -> Path:
    """The first ``count`` CDTN documents after ``skip``, as a JSONL file."""
    with gzip.open(CDTN, "rt", encoding="utf-8") as source, path.open("w", encoding="utf-8") as out:
        for number, line in enumerate(source):
            if number >= skip + count:
                break
            if number >= skip:
                out.write(line)
    return path


def report(done: subprocess.CompletedProcess) -> dict:
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    return {key: data[key] for key in ("added", "updated", "deleted", "unchanged", "skipped", "documents")}


def counts(added=0, updated=0, deleted=0, unchanged=0, skipped=0, documents=0) -> dict:
    return dict(added=added, updated=updated, deleted=deleted, unchanged=unchanged, skipped=skipped,
                documents=documents)


def aliased(local: LocalCluster, alias: str) -> str:
    """The collection behind ``alias``, once every node knows it (a follower applies writes a moment later)."""
    from typesense.exceptions import ObjectNotFound

    def on_every_node():
        names = set()
        for host, port in local.address(alias).nodes:
            single = ClusterAddress(local.api_key, ((host, port),), alias)
            with Connection(single, retries=0) as connection:
                try:
                    names.add(connection.client.aliases[alias].retrieve()["collection_name"])
                except ObjectNotFound:
                    return None
        return names.pop() if len(names) == 1 else None

    return wait_for(on_every_node, 10, f"the alias {alias} on every node")


def collections(local: LocalCluster, prefix: str) -> dict[str, int]:
    with Connection(local.address(prefix)) as connection:
        return {c["name"]: c["num_documents"] for c in connection.client.collections.retrieve()
                if c["name"].startswith(prefix + "--")}


# -- the cluster itself ----------------------------------------------------------


def test_start_prints_the_address_and_the_nodes(cluster):
    local, info = cluster
    address = parse_cluster_url(info["url"])
    assert (address.collection, address.api_key) == ("rtes", local.api_key)
    assert len(info["nodes"]) == 3
    ports = [n["api_port"] for n in info["nodes"]] + [n["peering_port"] for n in info["nodes"]]
    assert len(set(ports)) == 6
    assert address.nodes == tuple(("127.0.0.1", n["api_port"]) for n in info["nodes"])
    for node in info["nodes"]:
        assert process_start_time(node["pid"]) is not None
        assert Path(node["data_dir"]).is_dir()


def test_status_names_one_leader(cluster):
    local, info = cluster
    done = rtes("cluster", "status", info["url"], "--json")
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    assert local.api_key not in done.stdout, "the API key is never printed"
    roles = sorted(node["role"] for node in status["nodes"])
    assert roles == ["follower", "follower", "leader"]
    assert status["leader"] == next(n["address"] for n in status["nodes"] if n["role"] == "leader")
    human = rtes("cluster", "status", info["url"])
    assert "meneur" in human.stdout and human.stdout.count("suiveur") == 2


def test_a_second_start_in_the_same_folder_is_refused(cluster):
    local, _ = cluster
    done = rtes("cluster", "start", "--dir", local.directory)
    assert done.returncode == 1
    assert "tourne déjà" in done.stderr and "Traceback" not in done.stderr


# -- writing -----------------------------------------------------------------------


def test_index_writes_every_document_to_every_node_and_then_only_what_changed(cluster, tmp_path):
    local, _ = cluster
    target = url(local, "corpus")
    assert report(rtes("index", CORPUS, "--cluster", target, "--json", "-q")) == counts(added=10, documents=10)
    wait_for(lambda: documents_per_node(local, "corpus") == [10, 10, 10], 30, "10 documents on every node")
    assert report(rtes("index", CORPUS, "--cluster", target, "--json", "-q")) == counts(unchanged=10, documents=10)


def test_updates_and_prune(cluster, tmp_path):
    local, _ = cluster
    target = url(local, "updates")
    source = cdtn_sample(tmp_path / "docs.jsonl", 20)
    assert report(rtes("index", source, *JSONL, "--cluster", target, "--json", "-q"))["added"] == 20
    lines = source.read_text(encoding="utf-8").splitlines()
    changed = json.loads(lines[0])
    changed["text"] += " Paragraphe ajouté."
    source.write_text("\n".join([json.dumps(changed, ensure_ascii=False), *lines[1:15]]) + "\n", encoding="utf-8")
    assert report(rtes("index", source, *JSONL, "--cluster", target, "--json", "-q")) == counts(
        updated=1, unchanged=14, documents=20)
    assert report(rtes("index", source, *JSONL, "--cluster", target, "--prune", "--json", "-q")) == counts(
        deleted=5, unchanged=15, documents=15)

    def bodies():
        with Connection(local.address("updates")) as connection:
            stored = connection.client.collections["updates"].documents.export({"include_fields": "id,body"})
        return {d["id"]: d["body"] for d in map(json.loads, stored.splitlines())}

    wait_for(lambda: len(bodies()) == 15, 10, "15 documents left on every node")
    assert bodies()[changed["doc_id"]].endswith("Paragraphe ajouté.")


def test_rebuild_switches_the_alias_to_a_new_collection(cluster):
    local, _ = cluster
    target = url(local, "rebuilt")
    report(rtes("index", CORPUS, "--cluster", target, "--json", "-q"))
    before = aliased(local, "rebuilt")
    assert report(rtes("index", CORPUS, "--cluster", target, "--rebuild", "--json", "-q")) == counts(
        unchanged=10, documents=10)
    after = aliased(local, "rebuilt")
    assert after != before
    wait_for(lambda: collections(local, "rebuilt") == {after: 10}, 10, "the old collection dropped")


def test_a_rebuild_killed_in_the_middle_leaves_the_alias_on_the_old_collection(cluster, tmp_path):
    local, _ = cluster
    target = url(local, "killed")
    report(rtes("index", CORPUS, "--cluster", target, "--json", "-q"))
    old = aliased(local, "killed")
    big = cdtn_sample(tmp_path / "big.jsonl", 8000)  # far more than is written before the kill
    process = spawn("index", CORPUS, big, *JSONL, "--cluster", target, "--rebuild", "-q")
    try:
        new = wait_for(lambda: [n for n, c in collections(local, "killed").items() if n != old and c > 0], 60,
                       "a new collection being written")[0]
        assert process.poll() is None, "the rebuild must still be running when it is killed"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.communicate()
    assert aliased(local, "killed") == old
    left = collections(local, "killed")
    assert left[old] == 10 and 0 < left[new] < 8010, left
    assert report(rtes("index", CORPUS, "--cluster", target, "--rebuild", "--json", "-q"))["documents"] == 10
    wait_for(lambda: list(collections(local, "killed").values()) == [10], 10, "the next rebuild drops the orphan")


def test_index_survives_the_leader_killed_and_the_restarted_node_catches_up(cluster, tmp_path):
    local, _ = cluster
    target = url(local, "failover")
    source = cdtn_sample(tmp_path / "docs.jsonl", 1500, skip=3000)
    process = spawn("index", source, *JSONL, "--cluster", target, "--json", "-q")
    try:
        wait_for(lambda: any(collections(local, "failover").values()), 60, "the first documents written")
        leader = local.leader()
        assert leader is not None and process.poll() is None
        assert local.stop_node(leader, signal.SIGKILL)
        out, err = process.communicate(timeout=150)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert json.loads(out)["added"] == 1500
    survivors = [i for i in range(3) if i != leader]
    wait_for(lambda: [documents_per_node(local, "failover")[i] for i in survivors] == [1500, 1500], 10,
             "every document on the two nodes left")
    local.start_node(leader)
    wait_for(lambda: documents_per_node(local, "failover") == [1500] * 3, 90, "the restarted node catching up")
    local.wait_ready(60)


# -- faults at the door ---------------------------------------------------------------


def test_a_wrong_api_key_is_a_french_error(cluster):
    local, _ = cluster
    wrong = local.address("rtes").url().replace(local.api_key, "mauvaise-cle")
    done = rtes("index", CORPUS, "--cluster", wrong, "-q")
    assert done.returncode == 1
    assert "clé d'API refusée" in done.stderr and "Traceback" not in done.stderr
    assert "mauvaise-cle" not in done.stderr, "the key is never shown"
    status = rtes("cluster", "status", wrong)
    assert status.returncode == 1 and "clé refusée" in status.stdout


def _closed_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def test_an_unreachable_cluster_fails_within_5_seconds():
    nodes = ",".join(f"127.0.0.1:{port}" for port in _closed_ports(3))
    started = time.monotonic()
    done = rtes("index", CORPUS, "--cluster", f"typesense://cle@{nodes}/rtes", "-q")
    elapsed = time.monotonic() - started
    assert done.returncode == 1
    assert "cluster injoignable" in done.stderr and "Traceback" not in done.stderr
    assert elapsed < 5 + 3, "the command fails fast (≤ 5 s of waiting, plus the interpreter's start)"
