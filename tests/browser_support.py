"""What the browser tests share: Debian's Chromium, the app served on a loopback port, and a plain
"other site" on another port (another origin) that embeds the component.

Every server here listens on 127.0.0.1 only and is stopped by the context that started it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import uvicorn
from playwright.sync_api import sync_playwright

from http_support import free_port

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]


@contextmanager
def chromium():
    """Debian's headless Chromium driven by playwright (its own browser downloads are never used)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def served_app(app, port: int | None = None) -> Iterator[str]:
    """``app`` under uvicorn in a thread on 127.0.0.1: its base URL; stopped on exit."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "le serveur n'a pas démarré"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def other_site(files: dict[str, tuple[str, str]], headers: dict[str, str], port: int | None = None) -> Iterator[str]:
    """A static site on 127.0.0.1: ``files`` maps a path to (content type, text); ``headers`` on every answer."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            kind, text = files.get(self.path.split("?")[0], ("text/plain; charset=utf-8", "introuvable"))
            body = text.encode("utf-8")
            self.send_response(200 if self.path.split("?")[0] in files else 404)
            for name, value in {"Content-Type": kind, "Content-Length": str(len(body)), **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port or free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def embedding_page(api: str, attributes: str = "") -> dict[str, tuple[str, str]]:
    """A plain page of another site with the one-tag embed, and a script of its own that handles
    ``rtes-search:select`` (it writes the picked id into ``#choisi``)."""
    html = f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Site d'une collectivité</title>
<script type="module" src="{api}/embed.js"></script><script type="module" src="/site.js"></script></head>
<body><main><h1>Ressources de l'économie sociale et solidaire</h1>
<rtes-recherche {attributes}></rtes-recherche>
<p>Ressource choisie : <output id="choisi"></output></p></main></body></html>"""
    script = """document.addEventListener("rtes-search:select", (event) => {
  if (document.body.dataset.handle === "oui") {
    event.preventDefault();
    document.getElementById("choisi").textContent = event.detail.hit.id;
  }
});"""
    return {"/": ("text/html; charset=utf-8", html), "/site.js": ("text/javascript", script)}


def strict_csp(api: str) -> dict[str, str]:
    """A host page's strict policy: no inline script or style, scripts and API calls from ``api`` only."""
    return {"Content-Security-Policy": f"default-src 'self'; script-src 'self' {api}; connect-src {api}"}


def press_until(page, key: str, target, is_there: str, presses: int = 40) -> None:
    """Press ``key`` until ``is_there`` (a function of the element, in the page) holds for ``target``."""
    for _ in range(presses):
        if target.evaluate(is_there):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{key} × {presses} n'a pas atteint {target}")


def tab_to(page, target) -> None:
    """Tab until ``target`` has the focus (in the page or in a component's shadow root)."""
    press_until(page, "Tab", target, "el => el.getRootNode().activeElement === el")


def arrow_to(page, option) -> None:
    """Arrow down through a combobox's completions until ``option`` is the active one."""
    press_until(page, "ArrowDown", option, "el => el.getAttribute('aria-selected') === 'true'", 8)
