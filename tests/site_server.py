"""A local copy of the RTES site for the crawler tests, served on 127.0.0.1 only.

It serves ``tests/fixtures/site`` (copied by the tests so they can change a
page) the way Drupal does: ``/slug`` → ``pages/slug.html``, ``/ressources?page=N``
→ ``pages/ressources-page-N.html`` (any ``/slug?page=N`` likewise), files under ``/sites/default/files/``.
It answers conditional requests (ETag from the content, Last-Modified from
the file), and has the site's failures on fixed paths: a permanent
redirect, a redirect loop, a 404, a 500 and a page slower than the
crawler's timeout. Every request is logged on arrival, with the status it
gets, for the tests to check.
"""

from __future__ import annotations

import hashlib
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

SLOW_SECONDS = 3.0
REDIRECTS = {
    "/ancienne-adresse-co-construction": "/point-de-reperess-co-construction-des-politiques-publiques",
    "/boucle-a": "/boucle-b",
    "/boucle-b": "/boucle-a",
}


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, root: Path):
        super().__init__(("127.0.0.1", 0), SiteHandler)
        self.root = root
        self.log: list[tuple[str, int, str]] = []  # (path, status, user agent)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/"

    def requests_for(self, path: str) -> list[int]:
        """Statuses answered to ``path`` (with its query string), in order."""
        return [status for logged, status, _ in self.log if logged == path]

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class SiteHandler(BaseHTTPRequestHandler):
    server: SiteServer

    def log_message(self, *args) -> None:  # the tests read server.log instead
        pass

    def _file(self, parts) -> Path | None:
        root, path = self.server.root, parts.path
        if path == "/robots.txt" or path.startswith("/sites/"):
            candidate = root / path.lstrip("/")
        elif path == "/":
            candidate = root / "pages" / "index.html"
        elif "page" in parse_qs(parts.query):  # a pager: /ressources?page=2 → ressources-page-2.html
            slug = path.strip("/").replace("/", "-")
            candidate = root / "pages" / f"{slug}-page-{parse_qs(parts.query)['page'][0]}.html"
        else:
            candidate = root / "pages" / (path.strip("/").replace("/", "-") + ".html")
        return candidate if candidate.is_file() and ".." not in path else None

    def _answer(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.server.log.append((self.path, status, self.headers.get("User-Agent", "")))
        if urlsplit(self.path).path == "/page-lente":  # logged on arrival, answered too late
            time.sleep(SLOW_SECONDS)
        try:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the crawler gave up first (timeout)
            pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path in REDIRECTS:
            return self._answer(301, headers={"Location": REDIRECTS[parts.path]})
        if parts.path == "/erreur-serveur":
            return self._answer(500, b"<h1>Erreur interne</h1>", {"Content-Type": "text/html"})
        path = self._file(parts)
        if path is None:
            return self._answer(404, b"<h1>Page introuvable</h1>", {"Content-Type": "text/html; charset=utf-8"})
        self._serve(path)

    def _serve(self, path: Path) -> None:
        body = path.read_bytes()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        modified = path.stat().st_mtime
        headers = {"ETag": etag, "Last-Modified": formatdate(modified, usegmt=True)}
        if self.headers.get("If-None-Match") == etag or self._not_modified_since(modified):
            return self._answer(304, headers=headers)
        kind = {
            ".pdf": "application/pdf", ".txt": "text/plain; charset=utf-8",
            ".odt": "application/vnd.oasis.opendocument.text",
            ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }.get(path.suffix, "text/html")
        self._answer(200, body, {**headers, "Content-Type": kind})

    def _not_modified_since(self, modified: float) -> bool:
        since = self.headers.get("If-Modified-Since")
        if not since or self.headers.get("If-None-Match"):
            return False
        return int(modified) <= parsedate_to_datetime(since).timestamp()
