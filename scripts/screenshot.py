#!/usr/bin/env python3
"""Take the README's screenshots of the search page with Debian's headless Chromium.

Starts ``rtes-search serve`` on a free loopback port over an index of
corpus/ built in a temporary directory, opens a results page with a query
and a ticked filter, and writes docs/recherche.png (desktop) and
docs/recherche-mobile.png (phone width), docs/carte.png (the map), then
serves a plain page of "another site" on a second loopback port that
embeds ``<rtes-recherche>`` (the server allows that origin with
``--cors-origin``) and writes docs/embed.png and docs/embed-mobile.png.

    .venv/bin/python scripts/screenshot.py
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

from local_server import start_server

ROOT = Path(__file__).resolve().parent.parent
STATE = "/?q=march%C3%A9s+publics&year=2018&year=2022"
MAP_STATE = "/?q=collectivit%C3%A9s"
SHOTS = {"recherche.png": {"width": 1280, "height": 900}, "recherche-mobile.png": {"width": 390, "height": 844}}
EMBED_SHOTS = {"embed.png": {"width": 1100, "height": 900}, "embed-mobile.png": {"width": 390, "height": 844}}
EMBED_QUERY = "marchés réservés"
SITE_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Département de l'exemple : l'économie sociale et solidaire</title>
<link rel="stylesheet" href="/site.css"><script type="module" src="{api}/embed.js"></script></head>
<body><header>Département de l'exemple</header><main>
<h1>L'économie sociale et solidaire</h1>
<p>Guides, retours d'expérience et études du réseau RTES, cherchés depuis notre site :</p>
<rtes-recherche limit="3"></rtes-recherche></main></body></html>"""
# The site's own look, and the component themed with its custom properties.
SITE_CSS = """body { margin: 0; font: 1rem/1.5 Georgia, serif; color: #222; background: #f4f1ea; }
header { background: #1f4e5f; color: #fff; padding: .8em 1rem; font-weight: bold; }
main { max-width: 64rem; margin: 0 auto; padding: 1rem; }
rtes-recherche { --rtes-accent: #1f4e5f; --rtes-link: #1a5c8a; --rtes-font: Georgia, serif; --rtes-radius: 2px; }"""
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]


def indexed_server(index_dir: Path, site_port: int):
    """Index corpus/ into ``index_dir`` and serve it, open to the other site's origin."""
    rtes = Path(sys.executable).with_name("rtes-search")
    subprocess.run([rtes, "index", "corpus", "--index-dir", index_dir, "--quiet"], cwd=ROOT, check=True)
    return start_server(index_dir, "--cors-origin", f"http://127.0.0.1:{site_port}", cwd=ROOT)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def other_site(port: int, api: str):
    """The plain page of another site on 127.0.0.1:``port``, embedding the component from ``api``."""
    files = {"/": ("text/html", SITE_PAGE.replace("{api}", api)), "/site.css": ("text/css", SITE_CSS)}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            kind, text = files.get(self.path, ("text/plain", ""))
            self.send_response(200 if self.path in files else 404)
            self.send_header("Content-Type", kind + "; charset=utf-8")
            self.end_headers()
            self.wfile.write(text.encode("utf-8"))

        def log_message(self, *args):
            pass

    site = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        site.shutdown()
        site.server_close()


def embed_shots(browser, site: str) -> None:
    for name, viewport in EMBED_SHOTS.items():
        page = browser.new_page(viewport=viewport, locale="fr-FR")
        page.goto(site)
        page.locator("rtes-recherche").get_by_role("combobox").press_sequentially(EMBED_QUERY, delay=20)
        page.locator("rtes-recherche ol.hits > li").first.wait_for()
        page.locator("rtes-recherche").get_by_role("option").first.wait_for()
        page.screenshot(path=ROOT / "docs" / name, full_page=name == "embed.png")
        print(ROOT / "docs" / name)


def main() -> None:
    site_port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server, base = indexed_server(Path(tmp) / "index", site_port)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                for name, viewport in SHOTS.items():
                    page = browser.new_page(viewport=viewport, locale="fr-FR")
                    page.goto(base + STATE)
                    page.screenshot(path=ROOT / "docs" / name, full_page=name == "recherche.png")
                    print(ROOT / "docs" / name)
                page = browser.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=2, locale="fr-FR")
                page.goto(base + MAP_STATE)
                page.locator("figure.map").screenshot(path=ROOT / "docs" / "carte.png")
                print(ROOT / "docs" / "carte.png")
                with other_site(site_port, base) as site:
                    embed_shots(browser, site)
                browser.close()
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
