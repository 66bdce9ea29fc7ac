"""A local Typesense cluster for trying and testing: N nodes of the packaged server on 127.0.0.1.

``LocalCluster.start(DIR)`` starts the nodes in the background (each in its
own session, so they outlive the command that started them), waits until
they have elected a leader, and records in ``DIR/cluster.json`` the API key,
the ports, and each node's pid and process start time. ``stop`` signals
only processes that are still the ones recorded (``server.is_same_process``),
never anything found by name. Starting again in the same folder reuses the
recorded ports and data: Raft knows its peers by address, so a node must
come back where it was. Only the nodes not running are started: a node lost
(killed, crashed) is brought back alone, the others untouched.

The API key is given to the servers through their environment
(``TYPESENSE_API_KEY``), not their command line, which any user can read
with ``ps``.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from indexer.cluster import ClusterAddress, ClusterError
from search.cluster.probe import probe_node
from search.cluster.server import is_same_process, process_start_time, reap, server_executable

STATE_FILE = "cluster.json"
NODES_FILE = "nodes"
DEFAULT_COLLECTION = "rtes"
HOST = "127.0.0.1"
START_TIMEOUT = 90.0
STOP_TIMEOUT = 15.0


@dataclass
class LocalNode:
    """One server process of the cluster: its ports, its data, and who runs it."""

    api_port: int
    peering_port: int
    data_dir: str
    pid: int | None = None
    started: int | None = None

    @property
    def log_file(self) -> Path:
        return Path(self.data_dir).with_suffix(".log")

    def running(self) -> bool:
        return is_same_process(self.pid, self.started)

    def public(self) -> dict:
        """What ``cluster start --json`` shows of the node."""
        return {"pid": self.pid, "api_port": self.api_port, "peering_port": self.peering_port, "data_dir": self.data_dir}


def _free_ports(count: int) -> list[int]:
    """``count`` distinct ports free on 127.0.0.1 right now (the kernel's choice)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind((HOST, 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _check_free(port: int) -> None:
    with socket.socket() as s:
        try:
            s.bind((HOST, port))
        except OSError as exc:
            raise ClusterError(f"le port {port} est déjà utilisé sur {HOST} : choisissez une autre base avec --port") from exc


def _ports(count: int, base: int | None) -> list[int]:
    """API ports then peering ports: ``base``, ``base + 1``… when given, else free ones."""
    if base is None:
        return _free_ports(2 * count)
    if not 1024 <= base <= 65535 - 2 * count:
        raise ClusterError(f"port de base invalide : {base} (entre 1024 et {65535 - 2 * count})")
    ports = list(range(base, base + 2 * count))
    for port in ports:
        _check_free(port)
    return ports


class LocalCluster:
    """The nodes recorded in one folder; see the module docstring."""

    def __init__(self, directory: Path, api_key: str, nodes: list[LocalNode]):
        self.directory, self.api_key, self.nodes = Path(directory), api_key, nodes

    # -- the record ---------------------------------------------------------

    @classmethod
    def load(cls, directory: str | os.PathLike) -> "LocalCluster":
        """The cluster recorded in ``directory``; ``ClusterError`` when there is none."""
        path = Path(directory) / STATE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(Path(directory), data["api_key"], [LocalNode(**node) for node in data["nodes"]])
        except FileNotFoundError as exc:
            raise ClusterError(f"aucun cluster local dans {directory} (pas de {STATE_FILE})") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise ClusterError(f"fichier {path} illisible : {exc}") from exc

    def save(self) -> None:
        data = {"api_key": self.api_key, "nodes": [asdict(node) for node in self.nodes]}
        path = self.directory / STATE_FILE
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
        tmp.chmod(0o600)  # it holds the API key
        tmp.replace(path)

    def address(self, collection: str = DEFAULT_COLLECTION) -> ClusterAddress:
        return ClusterAddress(self.api_key, tuple((HOST, n.api_port) for n in self.nodes), collection)

    def url(self, collection: str = DEFAULT_COLLECTION) -> str:
        """``typesense://KEY@127.0.0.1:P1,…/COLLECTION``: what ``--cluster`` takes."""
        return self.address(collection).url()

    # -- starting -----------------------------------------------------------

    @classmethod
    def create(
        cls, directory: str | os.PathLike, nodes: int = 3, api_key: str | None = None, base_port: int | None = None
    ) -> "LocalCluster":
        """The record of a new cluster in ``directory`` (nothing started), or the one already there."""
        directory = Path(directory)
        if (directory / STATE_FILE).exists():
            existing = cls.load(directory)
            if api_key and api_key != existing.api_key:
                raise ClusterError(f"un cluster existe déjà dans {directory} avec une autre clé d'API")
            return existing
        if not 1 <= nodes <= 9:
            raise ClusterError(f"nombre de nœuds invalide : {nodes} (entre 1 et 9 ; 3 pour survivre à une panne)")
        directory.mkdir(parents=True, exist_ok=True)
        ports = _ports(nodes, base_port)
        members = [
            LocalNode(ports[i], ports[nodes + i], str((directory / f"node-{i + 1}").resolve())) for i in range(nodes)
        ]
        cluster = cls(directory, api_key or secrets.token_urlsafe(24), members)
        cluster.save()
        return cluster

    @classmethod
    def start(
        cls, directory: str | os.PathLike, nodes: int = 3, api_key: str | None = None,
        base_port: int | None = None, timeout: float = START_TIMEOUT,
    ) -> tuple["LocalCluster", list[int]]:
        """Start the nodes recorded in ``directory`` that are not running (every node of a new cluster)
        and wait until each is healthy and one leads; the cluster and the indexes of the nodes started.

        A node that was killed or stopped comes back with its recorded ports and data, rejoins the
        others and catches up with what they wrote meanwhile (Raft); the running ones are left alone,
        so ``cluster start --dir`` is also how one lost node is brought back. If the wait fails, the
        nodes started here are stopped again.
        """
        cluster = cls.create(directory, nodes, api_key, base_port)
        missing = [index for index, node in enumerate(cluster.nodes) if not node.running()]
        if not missing:
            return cluster, missing
        executable = server_executable()
        try:
            for index in missing:
                cluster.start_node(index, executable)
            cluster.wait_ready(timeout)
        except BaseException:
            cluster.stop(missing)
            raise
        return cluster, missing

    def start_node(self, index: int, executable: Path | None = None) -> LocalNode:
        """Start node ``index`` (0-based) with its recorded ports and data; it rejoins the cluster."""
        node = self.nodes[index]
        if node.running():
            return node
        Path(node.data_dir).mkdir(parents=True, exist_ok=True)
        peers = ",".join(f"{HOST}:{n.peering_port}:{n.api_port}" for n in self.nodes)
        (self.directory / NODES_FILE).write_text(peers + "\n", encoding="utf-8")
        command = [
            str(executable or server_executable()), f"--data-dir={node.data_dir}",
            f"--api-address={HOST}", f"--api-port={node.api_port}",
            f"--peering-address={HOST}", f"--peering-port={node.peering_port}",
            f"--nodes={(self.directory / NODES_FILE).resolve()}", "--enable-cors=false",
        ]
        env = {**os.environ, "TYPESENSE_API_KEY": self.api_key}
        with node.log_file.open("ab") as log:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
                start_new_session=True,
            )
        node.pid, node.started = process.pid, process_start_time(process.pid)
        process.returncode = 0  # we reap it ourselves (reap); Popen must not warn about it
        self.save()
        return node

    def wait_ready(self, timeout: float = START_TIMEOUT) -> float:
        """Wait until every running node is healthy and one leads; the seconds it took.

        ``ClusterError`` if a node exits meanwhile (with the end of its log)
        or if no leader is elected within ``timeout``.
        """
        started = time.monotonic()
        while True:
            for node in self.nodes:
                if node.pid and not node.running():
                    raise ClusterError(f"le nœud {node.api_port} s'est arrêté au démarrage :\n{_log_tail(node)}")
            if self.leader() is not None and all(self._healthy(n) for n in self.nodes if n.running()):
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise ClusterError(
                    f"aucun meneur élu en {timeout:.0f} s ; journaux : {self.nodes[0].log_file.parent}/node-*.log"
                )
            time.sleep(0.5)

    def _healthy(self, node: LocalNode) -> bool:
        return probe_node(HOST, node.api_port, self.api_key).healthy

    def leader(self) -> int | None:
        """The index of the node that leads now, or None (during an election)."""
        for index, node in enumerate(self.nodes):
            if node.running() and probe_node(HOST, node.api_port, self.api_key).role == "leader":
                return index
        return None

    # -- stopping -----------------------------------------------------------

    def stop_node(self, index: int, sig: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> bool:
        """Signal node ``index`` if it still is the process recorded, and wait until it is gone.

        SIGTERM lets Typesense shut down cleanly; after ``timeout`` it gets
        SIGKILL. Returns whether a process was stopped.
        """
        node = self.nodes[index]
        if not node.running():
            return False
        os.kill(node.pid, sig)
        deadline = time.monotonic() + timeout
        while node.running():
            reap(node.pid)
            if time.monotonic() > deadline and sig != signal.SIGKILL:
                os.kill(node.pid, signal.SIGKILL)
                sig = signal.SIGKILL
            time.sleep(0.1)
        reap(node.pid)
        return True

    def stop(self, indexes: list[int] | None = None) -> list[int]:
        """Stop the nodes of ``indexes`` (default: every node) still running as recorded; the pids stopped."""
        stopped = []
        for index in range(len(self.nodes)) if indexes is None else indexes:
            node = self.nodes[index]
            pid = node.pid
            if self.stop_node(index):
                stopped.append(pid)
            node.pid = node.started = None
        self.save()
        return stopped


def _log_tail(node: LocalNode, lines: int = 5) -> str:
    try:
        return "\n".join(node.log_file.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(pas de journal)"
