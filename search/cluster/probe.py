"""Ask one node, and one node only, how it is: health, Raft role, documents of a collection.

The ``typesense`` client hides which node answers (that is its job); the
status of a cluster needs the opposite, so these are plain HTTP GETs to a
single node with a short timeout. Typesense 0.24's ``GET /debug`` gives
the node's Raft state (braft's numbering: 1 leader, 4 follower).
"""

from __future__ import annotations

from dataclasses import dataclass

RAFT_ROLES = {1: "leader", 2: "transferring", 3: "candidate", 4: "follower", 5: "error",
              6: "uninitialized", 7: "shutting", 8: "shutdown"}
PROBE_TIMEOUT = 1.0


@dataclass(frozen=True)
class NodeProbe:
    """What one node said; ``role`` is "unreachable" when it said nothing, "refused" for a wrong key."""

    host: str
    port: int
    role: str
    healthy: bool = False
    version: str = ""
    documents: int | None = None

    def to_dict(self) -> dict:
        return {
            "address": f"{self.host}:{self.port}", "role": self.role, "healthy": self.healthy,
            "version": self.version, "documents": self.documents,
        }


def _get(client, url: str, api_key: str):
    response = client.get(url, headers={"X-TYPESENSE-API-KEY": api_key})
    return response.status_code, (response.json() if response.content else {})


def probe_node(
    host: str, port: int, api_key: str, collection: str | None = None, tls: bool = False,
    timeout: float = PROBE_TIMEOUT,
) -> NodeProbe:
    """Health and role of the node at ``host:port``, and its document count of ``collection`` (an alias too)."""
    import httpx

    base = f"{'https' if tls else 'http'}://{host}:{port}"
    try:
        with httpx.Client(timeout=timeout) as client:
            _, health = _get(client, f"{base}/health", api_key)
            status, debug = _get(client, f"{base}/debug", api_key)
            if status in (401, 403):
                return NodeProbe(host, port, "refused", bool(health.get("ok")))
            role = RAFT_ROLES.get(debug.get("state"), "unknown")
            documents = _documents(client, base, api_key, collection) if collection else None
            return NodeProbe(host, port, role, bool(health.get("ok")), debug.get("version", ""), documents)
    except (httpx.HTTPError, ValueError):
        return NodeProbe(host, port, "unreachable")


def _documents(client, base: str, api_key: str, collection: str) -> int | None:
    """Documents of ``collection`` on this node (Typesense resolves an alias there); None if it does not exist."""
    status, info = _get(client, f"{base}/collections/{collection}", api_key)
    return info.get("num_documents") if status == 200 else None


@dataclass(frozen=True)
class ClusterStatus:
    """Every node of an address, probed at once; ``leader`` is the one leading, if any."""

    address: str
    collection: str
    nodes: tuple[NodeProbe, ...]

    @property
    def leader(self) -> NodeProbe | None:
        return next((node for node in self.nodes if node.role == "leader"), None)

    def to_dict(self) -> dict:
        leader = self.leader
        return {
            "url": self.address, "collection": self.collection,
            "leader": f"{leader.host}:{leader.port}" if leader else None,
            "nodes": [node.to_dict() for node in self.nodes],
        }


def cluster_status(address) -> ClusterStatus:
    """Probe every node of ``address`` (a ``ClusterAddress``) in parallel."""
    from concurrent.futures import ThreadPoolExecutor

    def probe(node):
        return probe_node(node[0], node[1], address.api_key, address.collection, address.tls)

    with ThreadPoolExecutor(max_workers=len(address.nodes)) as pool:
        nodes = tuple(pool.map(probe, address.nodes))
    return ClusterStatus(address.redacted(), address.collection, nodes)
