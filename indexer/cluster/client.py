"""One connection to a Typesense cluster: the official client, our timeouts, French errors.

The ``typesense`` client spreads requests over the nodes of the address and
tries the next node when one fails (connection refused, timeout, 5xx). We
give it an HTTP client whose *connect* timeout is short (a dead node costs
one second, so an unreachable cluster fails within five) and whose *read*
timeout is long enough for a large import. Every error it raises becomes a
``ClusterError`` subclass with a French message that names the cluster
without its API key.

The client is imported here, lazily: without the ``[cluster]`` extra the
rest of the project works, and asking for a cluster says how to install it.
"""

from __future__ import annotations

import contextlib
import time
from typing import Callable, Iterator, TypeVar

from indexer.cluster.address import ClusterAddress
from indexer.cluster.errors import ClusterAuthError, ClusterError, ClusterMissingError, ClusterUnavailableError

INSTALL_HINT = "installez-le avec : pip install 'rtes-search[cluster]'"
# A node that does not accept a connection within this many seconds is down.
CONNECT_TIMEOUT = 1.0
READ_TIMEOUT = 10.0
# Between two tries on the next node; the client tries each node once more
# than once in total (retries = number of nodes), so ≤ 5 s when all are down.
RETRY_INTERVAL = 0.2
# A node marked down is tried again after this many seconds (a restarted node rejoins).
HEALTHCHECK_INTERVAL = 5
# Answers uncompressed: Typesense gzips them when asked (httpx asks by default), which costs both
# sides CPU for nothing on a local network (a search fetching 250 law articles' terms: 600 kB).
PLAIN = {"Accept-Encoding": "identity"}

T = TypeVar("T")


def typesense_module():
    """The ``typesense`` client package, or ``ClusterMissingError`` saying how to install it."""
    try:
        import typesense
    except ImportError as exc:
        raise ClusterMissingError(f"le client Typesense n'est pas installé : {INSTALL_HINT}") from exc
    return typesense


class Connection:
    """A ``typesense.Client`` over the nodes of ``address``; close it (or use ``with``)."""

    def __init__(self, address: ClusterAddress, read_timeout: float = READ_TIMEOUT, retries: int | None = None):
        typesense = typesense_module()
        import httpx  # installed with the typesense client

        self.address = address
        self._http = httpx.Client(timeout=httpx.Timeout(read_timeout, connect=CONNECT_TIMEOUT), headers=PLAIN)
        self.client = typesense.Client(
            {
                "api_key": address.api_key,
                "nodes": address.node_urls(),
                "num_retries": len(address.nodes) if retries is None else retries,
                "retry_interval_seconds": RETRY_INTERVAL,
                "healthcheck_interval_seconds": HEALTHCHECK_INTERVAL,
                "connection_timeout_seconds": read_timeout,
                "suppress_deprecation_warnings": True,
            },
            http_client=self._http,
        )

    def call(self, request: Callable[[], T]) -> T:
        """Run ``request`` (a call on ``self.client``), turning the client's errors into ours."""
        with cluster_errors(self.address):
            return request()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@contextlib.contextmanager
def cluster_errors(address: ClusterAddress) -> Iterator[None]:
    """Translate what the client and httpx raise into ``ClusterError``s in French.

    ``ObjectNotFound`` and ``ObjectAlreadyExists`` pass through: whether a
    missing or an existing collection or document is an error is the caller's decision.
    """
    from typesense import exceptions as ts

    try:
        yield
    except (ts.RequestUnauthorized, ts.RequestForbidden) as exc:
        raise ClusterAuthError(
            f"clé d'API refusée par le cluster {address.redacted()} : vérifiez la clé de l'adresse"
        ) from exc
    except (ts.ObjectNotFound, ts.ObjectAlreadyExists):
        raise
    except (ts.RequestMalformed, ts.ObjectUnprocessable) as exc:
        raise ClusterError(f"le cluster {address.redacted()} a refusé la requête : {exc}") from exc
    except (ts.ServerError, ts.ServiceUnavailable) as exc:
        raise ClusterUnavailableError(
            f"le cluster {address.redacted()} ne répond pas (aucun meneur, élection en cours ?) : {exc}"
        ) from exc
    except (OSError, _httpx_error()) as exc:  # the client's other errors are IOErrors
        raise ClusterUnavailableError(
            f"cluster injoignable : aucun nœud de {address.redacted()} n'a répondu ({type(exc).__name__})"
        ) from exc


def _httpx_error() -> type[Exception]:
    import httpx

    return httpx.HTTPError


def retrying(request: Callable[[], T], deadline: float, pause: float = 0.5) -> T:
    """Run ``request`` again while the cluster is unavailable, until ``deadline`` (``time.monotonic``).

    For writes: while a new leader is elected (about 10 s here), every
    node refuses them; an upsert or a delete can simply be sent again.
    """
    while True:
        try:
            return request()
        except ClusterUnavailableError:
            if time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 1.5, 3.0)
