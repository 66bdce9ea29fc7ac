"""A real ``rtes-search serve`` facing a busy port, and clients that connect and never finish asking.

Raw sockets on 127.0.0.1 only; every wait is bounded, and each server the
tests start is stopped by them.
"""

from __future__ import annotations

import socket
import subprocess
import threading
from urllib.parse import urlsplit

from http_support import RTES, served

REQUEST = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
WAIT = 20   # seconds a client waits for the server to close: twice the longest limit


def test_a_busy_port_is_one_french_line_and_exit_1(corpus_index):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([RTES, "serve", "--port", str(port), "--index-dir", str(corpus_index)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == (f"Erreur : le port {port} est déjà utilisé sur 127.0.0.1 : arrêtez le programme "
                           f"qui l'occupe, ou choisissez un autre port avec --port\n")
    assert done.stdout == ""


def _closed_by_server(sock: socket.socket) -> bool:
    """Whether the server closes ``sock`` within ``WAIT`` seconds (anything it sends first is read)."""
    sock.settimeout(WAIT)
    try:
        while sock.recv(65536):
            pass
        return True
    except (TimeoutError, socket.timeout):
        return False
    except ConnectionResetError:
        return True


def test_idle_and_half_sent_connections_are_closed(corpus_index):
    with served(corpus_index) as base:
        address = ("127.0.0.1", urlsplit(base).port)
        silent, half, body, kept, kept_then_half = (socket.create_connection(address) for _ in range(5))
        half.sendall(REQUEST[:20])
        body.sendall(REQUEST.replace(b"\r\n\r\n", b"\r\nContent-Length: 10\r\n\r\n") + b"12345")
        for sock in (kept, kept_then_half):
            sock.sendall(REQUEST)
            assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        kept_then_half.sendall(b"GE")   # a byte of a next request used to stop the keep-alive clock
        clients = {"silent": silent, "half": half, "body": body, "kept": kept, "kept_then_half": kept_then_half}
        closed: dict[str, bool] = {}
        waits = [threading.Thread(target=lambda n=n, s=s: closed.__setitem__(n, _closed_by_server(s)))
                 for n, s in clients.items()]
        for wait in waits:
            wait.start()
        for wait in waits:
            wait.join(WAIT + 5)
        for sock in clients.values():
            sock.close()
    assert closed == dict.fromkeys(clients, True)
