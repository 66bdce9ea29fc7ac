"""What only a real ``rtes-search serve`` process shows: uvicorn's own answers, forwarded headers, chunked bodies.

Each test starts the server on a free loopback port and stops it after.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import httpx2

from http_support import served

SECURITY_HEADERS = ("content-security-policy: default-src 'self'", "x-content-type-options: nosniff")


def _raw(base: str, request: bytes, body_chunks: int = 0) -> str:
    """Send raw bytes (then ``body_chunks`` chunks of 1 MB, as far as the server reads them); the answer's head."""
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(request)
        try:
            for _ in range(body_chunks):
                sock.sendall(b"100000\r\n" + b"x" * 0x100000 + b"\r\n")
        except OSError:   # the server answered and closed without reading the body: what we want
            pass
        answer = b""
        while b"\r\n\r\n" not in answer:
            data = sock.recv(65536)
            if not data:
                break
            answer += data
    return answer.decode("latin-1").split("\r\n\r\n")[0].lower()


def _statuses(base: str, count: int, **headers) -> list[int]:
    return [httpx2.get(base + "/api/v1/facets", headers=headers).status_code for _ in range(count)]


def test_forwarded_for_counts_only_from_a_named_proxy(corpus_index):
    with served(corpus_index, "--rate-limit", "3/60") as base:
        assert _statuses(base, 4) == [200, 200, 200, 429]
        assert _statuses(base, 3, **{"X-Forwarded-For": "203.0.113.9"}) == [429, 429, 429]
    with served(corpus_index, "--rate-limit", "2/60", "--trusted-proxy", "127.0.0.1") as base:
        assert _statuses(base, 3) == [200, 200, 429]
        assert _statuses(base, 3, **{"X-Forwarded-For": "203.0.113.9"}) == [200, 200, 429]


def test_uvicorn_answers_chunked_bodies_and_bad_requests_like_the_app(corpus_index):
    with served(corpus_index) as base:
        chunked = _raw(base, b"GET /api/v1/search?q=ess HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             b"Transfer-Encoding: chunked\r\n\r\n", body_chunks=10)
        assert chunked.startswith("http/1.1 413")
        malformed = _raw(base, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nen tete sans deux-points\r\n\r\n")
        assert malformed.startswith("http/1.1 400") and all(h in malformed for h in SECURITY_HEADERS)
        static = httpx2.get(base + "/static", headers={"Host": "pirate.example"}, follow_redirects=False)
        assert static.status_code == 404 and "location" not in static.headers


def test_workers_share_the_port_and_get_the_operators_settings(corpus_index):
    with served(corpus_index, "--workers", "2", "--rate-limit", "1/60") as base:
        for _ in range(100):   # the workers start after the port is bound
            if httpx2.get(base + "/static/style.css").status_code == 200:
                break
        statuses = [httpx2.get(base + "/api/v1/facets").status_code for _ in range(6)]
    assert 1 <= statuses.count(200) <= 2 and statuses.count(429) >= 4   # one request per worker's own table
