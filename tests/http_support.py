"""Helpers shared by the HTTP, fuzzing and browser tests: an app over the corpus index, or a real server."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from search.http import Settings, create_app
from search.http.auth import hash_token

TOKEN = "jeton-de-test-7f3a"
RTES = Path(sys.executable).with_name("rtes-search")   # the command of this venv


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_app(index_dir: Path, **settings):
    """The real app over ``index_dir``, one valid token, no rate limit unless asked."""
    values = {"index_dir": Path(index_dir), "token_hashes": frozenset({hash_token(TOKEN)}), "rate_limit": 0}
    values.update(settings)
    return create_app(Settings(**values))


@contextmanager
def served(index_dir: Path, *serve_args: str, env: dict | None = None, server: list | None = None) -> Iterator[str]:
    """A real ``rtes-search serve`` process on a free loopback port: its base URL; stopped on exit.

    ``env``: its environment (default: this one's); ``server``: a list that receives the process.
    """
    port = free_port()
    process = subprocess.Popen([RTES, "serve", "--port", str(port), "--index-dir", str(index_dir), *serve_args],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    if server is not None:
        server.append(process)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            assert process.poll() is None, process.stderr.read().decode()
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(10)
