"""Start ``rtes-search serve`` on a free loopback port for a script, and wait until it answers.

Shared by scripts/loadtest.py and scripts/screenshot.py (run as scripts, so
this folder is on ``sys.path``). Loopback only: nothing else is ever a target.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def start_server(index_dir: Path, *serve_args: str, cwd: Path | None = None) -> tuple[subprocess.Popen, str]:
    """``(process, base URL)`` of a server on 127.0.0.1; exits with a French message if it never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    rtes = Path(sys.executable).with_name("rtes-search")
    server = subprocess.Popen(
        [rtes, "serve", "--port", str(port), "--index-dir", str(index_dir), *serve_args], cwd=cwd
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            return server, base
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("le serveur n'a pas démarré")
