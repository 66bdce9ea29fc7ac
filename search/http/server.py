"""Running the app under uvicorn as ``rtes-search serve`` does: headers, proxies, workers.

Three things uvicorn does on its own that the app cannot see, set here:

- **Its own 400 answers** (a malformed request line or header, refused
  before the app runs) carry the same security headers as the app's
  (``HeadedH11Protocol``).
- **Forwarded headers** (``X-Forwarded-For``) are trusted only from the
  proxies the operator names: uvicorn trusts them from 127.0.0.1 by default,
  so any local client could pick the address the rate limit counts.
- **Workers**: ``workers > 1`` starts that many server processes on one
  port, each building the app from the environment (``create_app`` as a
  factory), so the settings are passed to them as ``RTES_SEARCH_*``
  variables. Each process has its own searcher and its own rate table.
"""

from __future__ import annotations

import os
import socket

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from search.backend import is_cluster
from search.http.headers import EXTRA_HEADERS
from search.http.settings import Settings


class HeadedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, whose own "400 Bad Request" carries ``EXTRA_HEADERS`` too.

    It also turns Nagle's algorithm off on every connection: asyncio does it
    only for sockets it knows to be TCP, and a listening socket handed to
    worker processes loses that (measured: 48 ms for ``/health`` with
    ``--workers 2``, the client's delayed ACK, against 1.3 ms).
    """

    def connection_made(self, transport) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)

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


def serve(app, settings: Settings, host: str, port: int, workers: int = 1) -> None:
    """Run until interrupted; ``app`` is used as it is with one worker."""
    options = {
        "host": host, "port": port, "log_level": "warning", "server_header": False, "http": HeadedH11Protocol,
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": list(settings.trusted_proxies) or None,
    }
    if workers == 1:
        uvicorn.run(app, **options)
        return
    os.environ.update(settings_environment(settings))
    uvicorn.run("search.http.app:create_app", factory=True, workers=workers, **options)
