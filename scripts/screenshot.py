#!/usr/bin/env python3
"""Take the README's screenshots of the search page with Debian's headless Chromium.

Starts ``rtes-search serve`` on a free loopback port over an index of
corpus/ built in a temporary directory, opens a results page with a query
and a ticked filter, and writes docs/recherche.png (desktop) and
docs/recherche-mobile.png (phone width).

    .venv/bin/python scripts/screenshot.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from local_server import start_server

ROOT = Path(__file__).resolve().parent.parent
STATE = "/?q=march%C3%A9s+publics&year=2018&year=2022"
MAP_STATE = "/?q=collectivit%C3%A9s"
SHOTS = {"recherche.png": {"width": 1280, "height": 900}, "recherche-mobile.png": {"width": 390, "height": 844}}
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]


def indexed_server(index_dir: Path):
    """Index corpus/ into ``index_dir`` and serve it."""
    rtes = Path(sys.executable).with_name("rtes-search")
    subprocess.run([rtes, "index", "corpus", "--index-dir", index_dir, "--quiet"], cwd=ROOT, check=True)
    return start_server(index_dir, cwd=ROOT)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        server, base = indexed_server(Path(tmp) / "index")
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
                browser.close()
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
