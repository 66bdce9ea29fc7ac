"""Helpers of the cluster tests: one real 3-node Typesense cluster per session, the command line, waiting.

The cluster is started by ``rtes-search cluster start`` and stopped by
``cluster stop``, as a user would, from the session fixture of
``conftest.py``; every cluster test module is in the xdist group
"cluster", so one worker runs them all against that one cluster. Each
test writes under its own alias. Reads are spread over the nodes and a
follower applies a write a moment after the leader: tests wait until
every node holds what was written before they read it.
"""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

from indexer.cluster import ClusterAddress, Connection
from search.cluster import LocalCluster, cluster_status
from search.cluster.server import process_start_time, reap

from conftest import ROOT

CDTN = ROOT / "data" / "cdtn-datafiller-2020" / "corpus.jsonl.gz"
JSONL = ["--id-field", "doc_id", "--title-field", "title", "--text-field", "text"]


def rtes(*args, timeout: float = 180, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the command line in a child process, as a user would."""
    return subprocess.run(
        [sys.executable, "-c", "from search.cli import main; main()", *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env,
    )


def spawn(*args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "from search.cli import main; main()", *map(str, args)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def running_cluster(directory: Path):
    """Start three nodes in ``directory``; yield ``(LocalCluster, cluster start --json)``; stop them all."""
    started = rtes("cluster", "start", "--nodes", 3, "--dir", directory, "--json")
    assert started.returncode == 0, started.stderr
    info = json.loads(started.stdout)
    try:
        yield LocalCluster.load(directory), info
    finally:
        stopped = rtes("cluster", "stop", "--dir", directory, "--json")
        pids = [node.pid for node in LocalCluster.load(directory).nodes] + [n["pid"] for n in info["nodes"]]
        for pid in pids:
            if pid:
                reap(pid)  # nodes restarted by a test are this process's children
        assert stopped.returncode == 0, stopped.stderr
        assert [pid for pid in pids if pid and process_start_time(pid) is not None] == []


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"pas atteint en {timeout} s : {what}")


def documents_per_node(local: LocalCluster, alias: str) -> list[int | None]:
    return [node.documents for node in cluster_status(local.address(alias)).nodes]


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


def index_into(local: LocalCluster, alias: str, *sources) -> str:
    """Index ``sources`` (paths, then options) under ``alias``; its address once every node holds them."""
    url = local.url(alias)
    done = rtes("index", *sources, "--cluster", url, "--json", "-q")
    assert done.returncode == 0, done.stderr
    count = json.loads(done.stdout)["documents"]
    wait_for(lambda: documents_per_node(local, alias) == [count] * len(local.nodes), 30,
             f"{count} documents on every node")
    return url


def cdtn_sample(path: Path, count: int, skip: int = 0) -> Path:
    """The first ``count`` CDTN documents after ``skip``, as a JSONL file."""
    with gzip.open(CDTN, "rt", encoding="utf-8") as source, path.open("w", encoding="utf-8") as out:
        for number, line in enumerate(source):
            if number >= skip + count:
                break
            if number >= skip:
                out.write(line)
    return path


def closed_ports(count: int) -> list[int]:
    """Ports nothing listens on (free a moment ago): an unreachable cluster."""
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports
