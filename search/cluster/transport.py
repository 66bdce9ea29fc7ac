"""The reads of a search as plain HTTP requests to the nodes, without the ``typesense`` client.

A search sends a handful of requests (``multi_search`` POSTs, and GETs of
the search endpoint, an alias, a collection, a manifest, the metrics). The ``typesense`` client
and ``httpx`` under it cost a command-line search about 0.1 s of imports
(each command pays them) and 0.7 ms of CPU per request against 0.2 ms for
the standard library's ``http.client``, already loaded (measured: 200
counts on the 101,194 law articles). JSON goes through ``orjson``: a
ranked search's answer (250 documents' terms, about 500 kB) parses in
0.7 ms against 1.7 ms with the standard library. The writer keeps the client
(``indexer.cluster.Connection``): its imports and retries are worth it there.

Each thread keeps to one node, its home (the threads take the nodes in
turn): a search's requests follow one another on the node that has just
read its candidates, which finds them in its caches; those it sends at
once from worker threads (``search.cluster.reader.submit``: ``on``) go to
that node too, which answers them side by side; searches of other
threads (the HTTP face's, one per caller) are spread over the nodes.
Measured against a new node for every request, over 200 bench queries
on the 101,194 law articles (seven runs each, alternated): search p50
37.5–41.2 ms (median 38.4) against 39.3–43.0 (median 39.7), the nodes'
CPU per search 40.3–44.4 against 42.9–46.8 ms.
When the home fails, the others are tried in turn; a node that does not accept the connection within
``CONNECT_TIMEOUT`` (a dead node costs one second at most), drops it, or
answers 5xx (no leader yet) is passed over for ``RETRY_AFTER`` seconds and
the next one is asked; a read is harmless to send again. When every node
failed: ``ClusterUnavailableError`` (unreachable, or no node could answer).
A refused key is ``ClusterAuthError``; 404 is ``NotFound`` (whether it is
an error is the caller's decision); another refusal is ``ClusterError``.
One connection per node and per thread, kept open between requests.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from urllib.parse import quote

import orjson

from indexer.cluster.address import ClusterAddress
from indexer.cluster.errors import ClusterAuthError, ClusterError, ClusterUnavailableError

CONNECT_TIMEOUT = 1.0
READ_TIMEOUT = 10.0
# A node that failed is passed over for this many seconds (a restarted node rejoins).
RETRY_AFTER = 5.0


class NotFound(Exception):
    """The node answered 404: no such alias, collection or document."""


class Transport:
    """GET and POST of JSON to the nodes of ``address`` (module docstring); thread-safe."""

    def __init__(self, address: ClusterAddress, read_timeout: float = READ_TIMEOUT):
        self.address, self._read_timeout = address, read_timeout
        self._headers = {"X-TYPESENSE-API-KEY": address.api_key, "Content-Type": "application/json"}
        self._homes, self._failed = 0, [0.0] * len(address.nodes)
        self._local = threading.local()
        self._connections: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def get(self, path: str) -> dict:
        return self.request("GET", path)

    def post(self, path: str, body: dict) -> dict:
        return self.request("POST", path, orjson.dumps(body))

    def request(self, method: str, path: str, body: bytes | None = None) -> dict:
        """The JSON answer of the first node that gives one (module docstring)."""
        why = None
        for node in self._order():
            try:
                status, data = self._send(node, method, path, body)
            except (OSError, http.client.HTTPException) as exc:
                why = type(exc).__name__   # _send dropped the connection
            else:
                if status < 500:
                    return self._answer(status, data)
                why = f"HTTP {status}"
            self._failed[node] = time.monotonic()
        raise ClusterUnavailableError(
            f"cluster injoignable : aucun nœud de {self.address.redacted()} n'a répondu ({why})"
        )

    def home(self) -> int:
        """This thread's node (module docstring), given in turn at its first request."""
        home = self._local.__dict__.get("home")
        if home is None:
            with self._lock:
                home = self._local.home = self._homes % len(self.address.nodes)
                self._homes += 1
        return home

    def on(self, home: int, call, *args):
        """``call(*args)`` with its requests sent to node ``home`` first: a worker thread's reads for a
        search go where the search's other reads go."""
        self._local.home = home
        return call(*args)

    def _order(self) -> list[int]:
        """Every node, from this thread's home on; those that failed lately last."""
        first = self.home()
        nodes = [(first + i) % len(self.address.nodes) for i in range(len(self.address.nodes))]
        now = time.monotonic()
        return sorted(nodes, key=lambda n: now - self._failed[n] < RETRY_AFTER)

    def _answer(self, status: int, data: bytes) -> dict:
        if status in (401, 403):
            raise ClusterAuthError(
                f"clé d'API refusée par le cluster {self.address.redacted()} : vérifiez la clé de l'adresse")
        if status == 404:
            raise NotFound()
        answer = orjson.loads(data) if data else {}
        if status >= 300:
            raise ClusterError(f"le cluster {self.address.redacted()} a refusé la requête : "
                               f"{answer.get('message', status)}")
        return answer

    def _send(self, node: int, method: str, path: str, body: bytes | None) -> tuple[int, bytes]:
        connection, fresh = self._connection(node)
        try:
            connection.request(method, path, body=body, headers=self._headers)
            response = connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self._drop(node)
            if fresh:
                raise
        # A kept connection that the node had closed meanwhile: once more, on a new one.
        return self._send(node, method, path, body)

    def _connection(self, node: int) -> tuple[http.client.HTTPConnection, bool]:
        """This thread's open connection to ``node`` (connected within ``CONNECT_TIMEOUT``, then read with
        the longer timeout), and whether it was opened just now."""
        connections = self._local.__dict__.setdefault("connections", {})
        if node in connections:
            return connections[node], False
        host, port = self.address.nodes[node]
        kind = http.client.HTTPSConnection if self.address.tls else http.client.HTTPConnection
        connection = kind(host, port, timeout=CONNECT_TIMEOUT)
        connection.connect()
        connection.sock.settimeout(self._read_timeout)
        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connections[node] = connection
        with self._lock:
            self._connections.append(connection)
        return connection, True

    def _drop(self, node: int) -> None:
        connection = self._local.__dict__.get("connections", {}).pop(node, None)
        if connection is not None:
            connection.close()
            with self._lock:
                self._connections.remove(connection)

    def close(self) -> None:
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()


def path(*parts: str) -> str:
    """``/a/b/c`` with each part percent-encoded (a document id may hold ``/``)."""
    return "".join("/" + quote(part, safe="") for part in parts)
