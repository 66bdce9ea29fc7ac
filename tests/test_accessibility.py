"""axe-core (npm, installed by the Makefile beside the venv) run inside Chromium on every kind of page:
its default rules (WCAG 2.0 and 2.1, A and AA, and its best practices) and its target-size rule
(WCAG 2.2) report no violation.

The pages' own Content-Security-Policy forbids the script axe is, so these contexts bypass it;
nothing else about the pages changes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser_support import chromium, embedding_page, free_port, other_site, served_app, strict_csp
from conftest import WEBINAR
from http_support import make_app

ROOT = Path(__file__).parents[1]
AXE_VERSION = re.search(r"^AXE_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.M).group(1)
AXE = ROOT / ".venv" / f"axe-{AXE_VERSION}" / "node_modules" / "axe-core" / "axe.min.js"   # the Makefile's $(AXE)
# Its default rules, and target-size (WCAG 2.2, 2.5.8: targets of 24×24 CSS pixels, or spaced as much).
VIOLATIONS = """async () => (await axe.run(document, {rules: {"target-size": {enabled: true}}})).violations.map(
  v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`)"""


@pytest.fixture(scope="module")
def servers(corpus_index):
    site_port = free_port()
    with served_app(make_app(corpus_index, cors_origins=(f"http://127.0.0.1:{site_port}",))) as api:
        with other_site(embedding_page(api), strict_csp(api), site_port) as site:
            yield api, site


@pytest.fixture(scope="module")
def browser():
    assert AXE.exists(), f"axe-core manque : make .venv/.test-stamp l'installe ({AXE})"
    with chromium() as launched:
        yield launched


def violations(browser, url: str, act=None, viewport=None) -> list[str]:
    context = browser.new_context(locale="fr-FR", bypass_csp=True, viewport=viewport or {"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url)
        if act:
            act(page)
        page.add_script_tag(path=AXE)
        return page.evaluate(VIOLATIONS)
    finally:
        context.close()


@pytest.mark.parametrize("path", [
    "/",
    "/?q=collectivités",                                           # results, facets and the map of France
    "/?q=collectivités&year=2018&type=Conférence+en+ligne",          # filters ticked: chips, a zoomed map
    "/?q=coopération&territory=Bretagne",                          # the map of one région's départements
    "/?q=marches+resreves",                                        # did you mean, notes
    f"/documents/{WEBINAR}",
    "/?q=ess&page=99",                                             # past the last page
    "/documents/inconnue",                                         # an error page
])
def test_our_pages_have_no_violation(browser, servers, path):
    api, _ = servers
    assert violations(browser, api + path) == []


def test_the_page_with_its_completions_open_has_no_violation(browser, servers):
    def type_and_open(page):
        page.get_by_role("combobox", name="Rechercher une ressource").press_sequentially("march", delay=30)
        expect(page.get_by_role("option").first).to_be_visible()
        page.keyboard.press("ArrowDown")

    assert violations(browser, servers[0] + "/", type_and_open) == []


@pytest.mark.parametrize("viewport", [None, {"width": 390, "height": 844}])
def test_a_page_embedding_the_component_with_results_has_no_violation(browser, servers, viewport):
    def search(page):
        component = page.locator("rtes-recherche")
        component.get_by_role("combobox").press_sequentially("marchés rés", delay=30)
        expect(component.get_by_role("option").first).to_be_visible()
        expect(component.locator("ol.hits > li").first).to_be_visible()
        component.get_by_role("group", name="Année").get_by_role("checkbox").first.check()
        expect(component.get_by_role("status")).to_contain_text("résultat")

    assert violations(browser, servers[1], search, viewport) == []
