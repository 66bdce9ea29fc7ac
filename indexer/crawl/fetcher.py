"""Polite HTTP: one session, a User-Agent, robots.txt, a delay, conditional requests.

``requests`` rather than urllib: a kept connection pool (one TCP connection
for the whole crawl), redirects followed with their history and a loop
detected (``TooManyRedirects``), streamed bodies so a huge file can be cut
off, and timeouts on connect and read. httpx would do as well; requests is
the smaller, older dependency for a synchronous crawler.

Every failure becomes a ``Fetch`` with an error in French: the crawler
reports it and goes on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib import robotparser
from urllib.parse import urljoin

import requests

USER_AGENT = "rtes-search-crawler/0.1 (+https://www.rtes.fr ; moteur de recherche de la bibliothèque)"
MAX_BYTES = 50 * 1024 * 1024
MAX_REDIRECTS = 5
# What an HTTP status means, said in French (servers give their reason phrase in English).
HTTP_REASONS = {
    400: "requête invalide", 401: "authentification requise", 403: "accès interdit", 404: "page introuvable",
    410: "page supprimée", 429: "trop de requêtes", 500: "erreur du serveur", 502: "passerelle en erreur",
    503: "service indisponible", 504: "passerelle hors délai",
}


@dataclass(frozen=True)
class Fetch:
    """What one request gave: a body (200), nothing new (304) or an error."""

    url: str
    status: int = 0
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    error: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """Fetch URLs of one site, waiting ``delay`` seconds between requests."""

    def __init__(self, delay: float = 1.0, timeout: float = 10.0, user_agent: str = USER_AGENT):
        self.delay, self.timeout, self.user_agent = delay, timeout, user_agent
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.session.max_redirects = MAX_REDIRECTS
        self._last = 0.0

    def robots(self, start_url: str) -> robotparser.RobotFileParser:
        """The site's robots.txt rules; none when it has none, everything forbidden when it fails (5xx)."""
        rules = robotparser.RobotFileParser()
        fetch = self.get(urljoin(start_url, "/robots.txt"))
        if fetch.status == 200:
            rules.parse(fetch.body.decode("utf-8", "replace").splitlines())
        elif fetch.status >= 500 or not fetch.status:
            rules.disallow_all = True
        else:
            rules.allow_all = True
        self.delay = max(self.delay, float(rules.crawl_delay(self.user_agent) or 0))
        return rules

    def _wait(self) -> None:
        pause = self._last + self.delay - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self._last = time.monotonic()

    def get(self, url: str, etag: str = "", last_modified: str = "") -> Fetch:
        """GET ``url``, sending the validators of the stored copy when there is one."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self._wait()
        try:
            with self.session.get(url, headers=headers, timeout=self.timeout, stream=True) as response:
                return self._read(url, response)
        except requests.TooManyRedirects:
            return Fetch(url, error=f"boucle de redirections (plus de {MAX_REDIRECTS})")
        except requests.Timeout:
            return Fetch(url, error=f"délai dépassé ({self.timeout:g} s)")
        except requests.ConnectionError:
            return Fetch(url, error="connexion impossible (serveur injoignable ou refus)")
        except requests.RequestException as exc:
            return Fetch(url, error=f"échec de la requête : {type(exc).__name__}")

    def _read(self, url: str, response: requests.Response) -> Fetch:
        headers = response.headers
        common = dict(
            url=response.url, status=response.status_code, content_type=headers.get("Content-Type", "").lower(),
            etag=headers.get("ETag", ""), last_modified=headers.get("Last-Modified", ""),
        )
        if response.status_code == 304:
            return Fetch(**common)
        if response.status_code != 200:
            return Fetch(**common, error=http_error(response.status_code))
        body = bytearray()
        for chunk in response.iter_content(64 * 1024):
            body.extend(chunk)
            if len(body) > MAX_BYTES:
                return Fetch(**common, error=f"fichier trop gros (plus de {MAX_BYTES // 2**20} Mo)")
        return Fetch(**common, body=bytes(body))


def http_error(status: int) -> str:
    """An HTTP error status for a person: ``HTTP 404 (page introuvable)``, or just ``HTTP 418``."""
    return f"HTTP {status} ({HTTP_REASONS[status]})" if status in HTTP_REASONS else f"HTTP {status}"
