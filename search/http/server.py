"""Running the app under uvicorn as ``rtes-search serve`` does: headers, proxies, workers.

Three things uvicorn does on its own that the app cannot see, set here:

- **Its own 400 answers** (a malformed request line or header, refused
  before the app runs) carry the same security headers as the app's
  (``HeadedH11Protocol``).
- **Forwarded headers** (``X-Forwarded-For``) are trusted only from the
  proxies the operator names: uvicorn trusts them from 127.0.0.1 by default,
  so any local client could pick the address the rate limit counts.
- **Slow and idle connections**: a request (its line, its headers and
  any body it announces) must arrive whole within ``REQUEST_TIMEOUT``
  seconds of the connection or of its first byte, and a connection idle between requests is closed after
  ``KEEP_ALIVE_TIMEOUT``: uvicorn arms its keep-alive timer only after a
  response and drops it at the next byte received, so a client that sends
  nothing, or half a request, would hold a connection for ever.
- **A busy port** is said in one French line before anything else
  (``check_port``), not as uvicorn's English log after our address.
- **Workers**: ``workers > 1`` starts that many server processes on one
  port, each building the app from the environment (``create_app`` as a
  factory), so the settings are passed to them as ``RTES_SEARCH_*``
  variables. Each process has its own searcher and its own rate table.
"""

from __future__ import annotations

import asyncio
import errno
import os
import socket

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from search.backend import is_cluster
from search.http.headers import EXTRA_HEADERS
from search.http.settings import Settings

REQUEST_TIMEOUT = 10.0   # seconds for a whole request to arrive, from the connection or from its first byte
ARRIVING = (h11.IDLE, h11.SEND_BODY)   # the client's states while a request has not arrived whole
KEEP_ALIVE_TIMEOUT = 5.0  # seconds a connection may stay idle between two requests

class HeadedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, whose own "400 Bad Request" carries ``EXTRA_HEADERS`` too,
    and which closes a connection whose request does not arrive whole within ``REQUEST_TIMEOUT``.

    It also turns Nagle's algorithm off on every connection: asyncio does it
    only for sockets it knows to be TCP, and a listening socket handed to
    worker processes loses that (measured: 48 ms for ``/health`` with
    ``--workers 2``, the client's delayed ACK, against 1.3 ms).
    """

    _request_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
        self._request_deadline = self.loop.call_later(REQUEST_TIMEOUT, self._too_slow)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state not in ARRIVING:   # the whole request came
            self._cancel_deadline()
        elif self._request_deadline is None:         # the first bytes of the next request, or a late body's
            self._request_deadline = self.loop.call_later(REQUEST_TIMEOUT, self._too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        super().connection_lost(exc)

    def _cancel_deadline(self) -> None:
        if self._request_deadline is not None:
            self._request_deadline.cancel()
            self._request_deadline = None

    def _too_slow(self) -> None:
        """Close without an answer, as for an idle keep-alive connection: nothing was asked yet."""
        self._request_deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close"), *EXTRA_HEADERS]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                      h11.Data(data=msg.encode("ascii")), h11.EndOfMessage()):
            self.transport.write(self.conn.send(event))
        self.transport.close()


def settings_environment(settings: Settings) -> dict[str, str]:
    """The ``RTES_SEARCH_*`` variables from which worker processes rebuild ``settings`` (tokens stay as given)."""
    window = f"{settings.rate_window:g}"
    cluster = is_cluster(str(settings.index_dir))
    return {
        # Each variable keeps its documented meaning; the other is emptied so an inherited one cannot win.
        "RTES_SEARCH_INDEX": "" if cluster else str(settings.index_dir),
        "RTES_SEARCH_CLUSTER": settings.index_dir if cluster else "",
        "RTES_SEARCH_RATE_LIMIT": f"{settings.rate_limit}/{window}" if settings.rate_limit else "0",
        "RTES_SEARCH_CORS_ORIGINS": ",".join(settings.cors_origins),
        "RTES_SEARCH_TRUSTED_PROXIES": ",".join(settings.trusted_proxies),
        "RTES_SEARCH_FRAME_ANCESTORS": ",".join(settings.frame_ancestors),
        "RTES_SEARCH_PUBLIC_URL": settings.public_url,
        "RTES_SEARCH_HOST": settings.host,
        "RTES_SEARCH_PORT": str(settings.port),
    }


class PortUnavailableError(Exception):
    """The server cannot listen where it was asked; French message."""


def check_port(host: str, port: int) -> None:
    """Bind ``host:port`` once and let it go, so that a busy port is said before the server says anything.

    uvicorn binds again at once; another program taking the port in between
    would still meet uvicorn's own error.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as uvicorn binds
        try:
            probe.bind((host, port))
        except socket.gaierror:
            raise PortUnavailableError(f"adresse d'écoute inconnue : {host}") from None
        except OSError as exc:
            raise PortUnavailableError(_bind_failure(host, port, exc)) from None


def _bind_failure(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (f"le port {port} est déjà utilisé sur {host} : arrêtez le programme qui l'occupe, "
                f"ou choisissez un autre port avec --port")
    if exc.errno == errno.EACCES:
        return (f"écoute sur le port {port} refusée (sous 1024, il faut des droits d'administrateur) : "
                f"prenez --port 8000")
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"l'adresse {host} n'est pas une adresse de cette machine (--host)"
    return f"impossible d'écouter sur {host}:{port} ({exc.strerror or exc})"


def serve(app, settings: Settings, host: str, port: int, workers: int = 1) -> None:
    """Run until interrupted; ``app`` is used as it is with one worker."""
    options = {
        "host": host, "port": port, "log_level": "warning", "server_header": False, "http": HeadedH11Protocol,
        "timeout_keep_alive": KEEP_ALIVE_TIMEOUT,
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": list(settings.trusted_proxies) or None,
    }
    if workers == 1:
        uvicorn.run(app, **options)
        return
    os.environ.update(settings_environment(settings))
    uvicorn.run("search.http.app:create_app", factory=True, workers=workers, **options)
