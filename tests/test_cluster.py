"""Writing to a real 3-node Typesense cluster, started by the tests and stopped by them (never a mock).

One cluster per test session (``conftest.typesense_cluster``: every
cluster test module is in the xdist group "cluster", so one worker runs
them), started and stopped through the command line, as a user would.
Each test writes under its own alias, so tests do not see each other's
documents. Faults: the leader killed with SIGKILL during an
indexing run, a node restarted, a rebuild killed in the middle, a wrong API
key, an unreachable cluster.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from indexer.cluster import Connection, parse_cluster_url
from indexer.cluster.schema import TEXTS_ONLY, TEXTS_SUFFIX, texts_name
from indexer.cluster.vocabulary import SUFFIX, vocabulary_name
from search.cluster import LocalCluster
from search.cluster.server import process_start_time

from cluster_support import JSONL, aliased, cdtn_sample, closed_ports, documents_per_node, rtes, spawn, wait_for
from conftest import CORPUS

pytestmark = pytest.mark.xdist_group("cluster")

@pytest.fixture(scope="module")
def cluster(typesense_cluster):
    """The session's cluster (``conftest.typesense_cluster``): ``(LocalCluster, cluster start --json)``."""
    return typesense_cluster


def url(local: LocalCluster, alias: str) -> str:
    return local.url(alias)


def report(done: subprocess.CompletedProcess) -> dict:
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    return {key: data[key] for key in ("added", "updated", "deleted", "unchanged", "skipped", "documents")}


def counts(added=0, updated=0, deleted=0, unchanged=0, skipped=0, documents=0) -> dict:
    return dict(added=added, updated=updated, deleted=deleted, unchanged=unchanged, skipped=skipped,
                documents=documents)


def collections(local: LocalCluster, prefix: str) -> dict[str, int]:
    """The document collections of an alias (their texts and vocabularies apart), with their sizes."""
    with Connection(local.address(prefix)) as connection:
        return {c["name"]: c["num_documents"] for c in connection.client.collections.retrieve()
                if c["name"].startswith(prefix + "--") and not c["name"].endswith((SUFFIX, TEXTS_SUFFIX))}


def siblings(local: LocalCluster, prefix: str) -> set[str]:
    """The texts and vocabulary collections of an alias's collections."""
    with Connection(local.address(prefix)) as connection:
        return {c["name"] for c in connection.client.collections.retrieve()
                if c["name"].startswith(prefix + "--") and c["name"].endswith((SUFFIX, TEXTS_SUFFIX))}


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


def test_a_second_start_leaves_the_running_nodes_alone(cluster):
    local, _ = cluster
    pids = [node.pid for node in local.nodes]
    done = rtes("cluster", "start", "--dir", local.directory, "--json")
    assert done.returncode == 0, done.stderr
    again = json.loads(done.stdout)
    assert again["started"] == [] and [n["pid"] for n in again["nodes"]] == pids
    assert again["url"] == local.url()
    human = rtes("cluster", "start", "--dir", local.directory)
    assert human.returncode == 0 and human.stdout.strip() == local.url()
    assert "aucun nœud à redémarrer" in human.stderr and human.stderr.count("tournait déjà") == 3


def test_start_brings_back_a_killed_node_which_catches_up(cluster, tmp_path):
    """``cluster start --dir`` restarts the node killed with SIGKILL, alone; it rejoins and receives what
    was written while it was down."""
    local, _ = cluster
    target = url(local, "restarted")
    source = cdtn_sample(tmp_path / "docs.jsonl", 200)
    assert report(rtes("index", source, *JSONL, "--cluster", target, "--json", "-q"))["added"] == 200
    wait_for(lambda: documents_per_node(local, "restarted") == [200] * 3, 30, "200 documents on every node")
    killed = next(i for i in range(3) if i != local.leader())
    others = [node.pid for i, node in enumerate(local.nodes) if i != killed]
    assert local.stop_node(killed, signal.SIGKILL)
    more = cdtn_sample(tmp_path / "more.jsonl", 100, skip=200)
    assert report(rtes("index", source, more, *JSONL, "--cluster", target, "--json", "-q"))["added"] == 100
    assert documents_per_node(local, "restarted")[killed] is None, "the killed node is down"
    done = rtes("cluster", "start", "--dir", local.directory, "--json")
    assert done.returncode == 0, done.stderr
    again = json.loads(done.stdout)
    local.nodes[:] = LocalCluster.load(local.directory).nodes  # the pid of the restarted node
    assert again["started"] == [killed + 1]
    assert [n["pid"] for i, n in enumerate(again["nodes"]) if i != killed] == others, "the others untouched"
    assert process_start_time(again["nodes"][killed]["pid"]) is not None
    wait_for(lambda: documents_per_node(local, "restarted") == [300] * 3, 60, "the restarted node caught up")
    local.wait_ready(60)


# -- writing -----------------------------------------------------------------------


def test_index_writes_every_document_to_every_node_and_then_only_what_changed(cluster, tmp_path):
    local, _ = cluster
    target = url(local, "corpus")
    # skipped: corpus/README.md, reported and not indexed
    assert report(rtes("index", CORPUS, "--cluster", target, "--json", "-q")) == counts(added=10, skipped=1, documents=10)
    wait_for(lambda: documents_per_node(local, "corpus") == [10, 10, 10], 30, "10 documents on every node")
    assert report(rtes("index", CORPUS, "--cluster", target, "--json", "-q")) == counts(
        unchanged=10, skipped=1, documents=10)


def test_the_ranked_documents_hold_no_texts_which_are_written_beside_them(cluster):
    """Typesense reads a candidate's whole stored document: the collection it ranks holds the terms and
    what ranking needs, the texts collection beside it the texts to show, for the same ids."""
    local, _ = cluster
    report(rtes("index", CORPUS, "--cluster", url(local, "split"), "--json", "-q"))
    ranked_name = aliased(local, "split")

    def exported():   # a follower applies the writes a moment after the leader acknowledged them
        with Connection(local.address("split")) as connection:
            both = [[json.loads(line) for line in connection.client.collections[name].documents.export().splitlines()]
                    for name in (ranked_name, texts_name(ranked_name))]
        return both if all(len(documents) == 10 for documents in both) else None

    ranked, texts = wait_for(exported, 10, "the 10 documents and their texts on the node read")
    assert {d["id"] for d in ranked} == {d["id"] for d in texts}
    assert all(d["title_terms"] and d["content_hash"] and not set(TEXTS_ONLY) & set(d) for d in ranked)
    assert all(d["title"] and "body" in d and d["words"] and "title_terms" not in d for d in texts)
    assert sum(bool(d["body"]) for d in texts) == 9   # the SIEG resource has a summary and no body


def test_updates_and_deletions(cluster, tmp_path):
    """A source file read again is the truth for its documents: the rewritten one is updated, those it
    no longer yields are deleted (as in the local index)."""
    local, _ = cluster
    target = url(local, "updates")
    source = cdtn_sample(tmp_path / "docs.jsonl", 20)
    assert report(rtes("index", source, *JSONL, "--cluster", target, "--json", "-q"))["added"] == 20
    lines = source.read_text(encoding="utf-8").splitlines()
    changed = json.loads(lines[0])
    changed["text"] += " Paragraphe zygomorphe ajouté."
    source.write_text("\n".join([json.dumps(changed, ensure_ascii=False), *lines[1:15]]) + "\n", encoding="utf-8")
    assert report(rtes("index", source, *JSONL, "--cluster", target, "--json", "-q")) == counts(
        updated=1, unchanged=14, deleted=5, documents=15)

    def bodies():
        with Connection(local.address("updates")) as connection:
            texts = texts_name(connection.client.aliases["updates"].retrieve()["collection_name"])
            stored = connection.client.collections[texts].documents.export({"include_fields": "id,body"})
        return {d["id"]: d["body"] for d in map(json.loads, stored.splitlines())}

    wait_for(lambda: len(bodies()) == 15, 10, "15 texts left on every node: the deleted documents' texts too")
    assert bodies()[changed["doc_id"]].endswith("Paragraphe zygomorphe ajouté.")

    def vocabulary():
        with Connection(local.address("updates")) as connection:
            name = vocabulary_name(connection.client.aliases["updates"].retrieve()["collection_name"])
            return {d["word"] for d in map(json.loads, connection.client.collections[name].documents.export().splitlines())}

    assert "zygomorphe" in wait_for(vocabulary, 10, "the vocabulary on every node"), "an update adds its new words"


def test_rebuild_switches_the_alias_to_a_new_collection(cluster):
    local, _ = cluster
    target = url(local, "rebuilt")
    report(rtes("index", CORPUS, "--cluster", target, "--json", "-q"))
    before = aliased(local, "rebuilt")
    assert report(rtes("index", CORPUS, "--cluster", target, "--rebuild", "--json", "-q")) == counts(
        unchanged=10, skipped=1, documents=10)
    after = aliased(local, "rebuilt")
    assert after != before
    wait_for(lambda: collections(local, "rebuilt") == {after: 10}, 10, "the old collection dropped")
    wait_for(lambda: siblings(local, "rebuilt") == {texts_name(after), vocabulary_name(after)}, 10,
             "its texts and vocabulary dropped with it")


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
    kept = aliased(local, "killed")
    wait_for(lambda: siblings(local, "killed") == {texts_name(kept), vocabulary_name(kept)}, 10,
             "the orphan's texts and words dropped too")


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


def test_an_unreachable_cluster_fails_within_5_seconds():
    nodes = ",".join(f"127.0.0.1:{port}" for port in closed_ports(3))
    started = time.monotonic()
    done = rtes("index", CORPUS, "--cluster", f"typesense://cle@{nodes}/rtes", "-q")
    elapsed = time.monotonic() - started
    assert done.returncode == 1
    assert "cluster injoignable" in done.stderr and "Traceback" not in done.stderr
    assert elapsed < 5 + 3, "the command fails fast (≤ 5 s of waiting, plus the interpreter's start)"


def test_facet_counts_follow_updates_and_deletions(cluster, tmp_path):
    from search.cluster import ClusterSearcher

    local, _ = cluster
    target = url(local, "counted")
    source = tmp_path / "records.jsonl"
    records = [{"id": f"r{i}", "title": f"Fiche {i}", "text": "Un marché réservé.", "kind": kind}
               for i, kind in enumerate(["Étude", "Étude", "Guide"])]

    def counted_after(rows, expected, *options):
        """Index ``rows``; whether the type counts (the manifest, read from any node) become ``expected``."""
        source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
        report(rtes("index", source, "--id-field", "id", "--title-field", "title", "--text-field", "text",
                    "--field", "type=kind", "--cluster", target, "--json", "-q", *options))
        aliased(local, "counted")

        def counts():
            with ClusterSearcher(target) as searcher:
                return searcher.facets()["type"] == expected

        return wait_for(counts, 10, f"the counts {expected}")

    assert counted_after(records, {"Étude": 2, "Guide": 1})
    records[0]["kind"] = "Guide"
    assert counted_after(records, {"Guide": 2, "Étude": 1}), "a rewritten document moves its counts"
    assert counted_after(records[1:], {"Guide": 1, "Étude": 1}, "--prune"), "a deleted one takes its counts away"
