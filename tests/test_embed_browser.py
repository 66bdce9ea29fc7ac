"""The <rtes-recherche> component on a plain page of another site (another port: another origin), in
Chromium: what a visitor of that site sees and does, with the mouse and with the keyboard only.

The host page has a strict Content-Security-Policy (no inline style or script): the component's
styles are constructable stylesheets, so it still looks as designed.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser_support import (
    arrow_to, chromium, embedding_page, free_port, other_site, served_app, strict_csp, tab_to,
)
from conftest import WEBINAR
from http_support import make_app

QUERY = "marchés réservés article 37"
WEBINAR_TITLE = 'Retour sur la conférence en ligne "Marchés réservés" du 5 juin 2018'


@pytest.fixture(scope="module")
def servers(corpus_index):
    """The API (open to one site's origin), that site, and a site it is not open to."""
    site_port = free_port()
    with served_app(make_app(corpus_index, cors_origins=(f"http://127.0.0.1:{site_port}",))) as api:
        page = embedding_page(api, 'limit="2"')
        page["/territoire"] = embedding_page(api, 'territory="Grand Est" placeholder="ex. commande publique"')["/"]
        with other_site(page, strict_csp(api), site_port) as site, other_site(page, strict_csp(api)) as refused:
            yield api, site, refused


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture()
def context(browser):
    context = browser.new_context(locale="fr-FR")
    yield context
    context.close()


def test_search_more_results_a_facet_and_a_completion_from_another_site(context, servers):
    api, site, _ = servers
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request))
    page.goto(site)
    component = page.locator("rtes-recherche")
    box = component.get_by_role("combobox", name="Rechercher dans les ressources du RTES")
    box.fill(QUERY)
    hits = component.locator("ol.hits > li")
    expect(hits.first.get_by_role("heading")).to_have_text(WEBINAR_TITLE)
    expect(hits.first.locator("p.snippet mark").first).to_be_visible()
    expect(component.get_by_role("status")).to_have_text(f"4 résultats pour « {QUERY} »")
    expect(hits).to_have_count(2)
    component.get_by_role("button", name="Plus de résultats").click()
    expect(hits).to_have_count(4)
    expect(component.get_by_role("button", name="Plus de résultats")).to_be_hidden()
    component.get_by_role("group", name="Type").get_by_label("Points de RepèrESS").check()
    expect(component.get_by_role("status")).to_have_text(f"2 résultats pour « {QUERY} »")
    assert all("Points de RepèrESS" in meta for meta in hits.locator("p.meta").all_inner_texts())
    # Styles applied although the page forbids inline styles: the button has the accent colour.
    colour = component.get_by_role("button", name="Rechercher").evaluate("b => getComputedStyle(b).backgroundColor")
    assert colour == "rgb(179, 18, 77)"
    api_calls = [r for r in requested if r.url.startswith(api + "/api/")]
    assert api_calls and all("authorization" not in r.headers for r in api_calls)
    assert all(r.url.startswith((api, site)) for r in requested)


def test_keyboard_only_pick_a_completion_tick_a_facet_open_a_result(context, servers):
    _, site, _ = servers
    page = context.new_page()
    page.goto(site)
    page.evaluate("document.body.dataset.handle = 'oui'")   # the site handles rtes-search:select itself
    component = page.locator("rtes-recherche")
    box = component.get_by_role("combobox")
    page.keyboard.press("Tab")
    expect(box).to_be_focused()
    page.keyboard.type("march", delay=30)
    option = component.get_by_role("option", name="Marchés", exact=True)
    expect(option).to_be_visible()
    arrow_to(page, option)
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    page.keyboard.press("Enter")
    expect(box).to_have_value("Marchés")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(component.get_by_role("status")).to_contain_text("pour « Marchés »")
    year = component.get_by_role("group", name="Année").get_by_role("checkbox").first
    value = year.get_attribute("value")
    tab_to(page, year)
    page.keyboard.press("Space")
    expect(year).to_be_checked()
    expect(component.locator("ol.hits p.meta").first).to_contain_text(value)
    first = component.locator("ol.hits a").first
    tab_to(page, first)
    page.keyboard.press("Enter")
    expect(page.locator("#choisi")).to_have_text(first.get_attribute("data-id"))
    assert page.url.rstrip("/") == site


def test_a_hit_opens_the_resource_page_when_the_site_does_not_handle_it(context, servers):
    api, site, _ = servers
    page = context.new_page()
    page.goto(site)
    page.locator("rtes-recherche").get_by_role("combobox").fill(QUERY)
    page.locator("rtes-recherche").get_by_role("link", name=WEBINAR_TITLE).click()
    page.wait_for_url(f"{api}/documents/{WEBINAR}")
    expect(page.get_by_role("heading", level=1)).to_have_text(WEBINAR_TITLE)


def test_without_cors_for_the_site_the_component_loads_and_says_so_in_french(context, servers):
    _, _, refused = servers
    page = context.new_page()
    page.goto(refused)
    component = page.locator("rtes-recherche")
    component.get_by_role("combobox").fill(QUERY)
    expect(component.get_by_role("alert")).to_have_text(
        "La recherche du RTES ne répond pas à ce site : accès non autorisé ou service injoignable.")
    expect(component.locator("ol.hits > li")).to_have_count(0)


def test_too_many_requests_is_said_in_french(browser, corpus_index):
    site_port = free_port()
    app = make_app(corpus_index, cors_origins=(f"http://127.0.0.1:{site_port}",), rate_limit=2, rate_window=600.0)
    with served_app(app) as api, other_site(embedding_page(api), strict_csp(api), site_port) as site:
        context = browser.new_context(locale="fr-FR")
        page = context.new_page()
        page.goto(site)   # /embed.js is the first of the two requests the budget allows
        component = page.locator("rtes-recherche")
        component.get_by_role("combobox").fill(QUERY)
        expect(component.get_by_role("status")).to_contain_text("4 résultats")
        component.get_by_role("button", name="Rechercher").click()
        expect(component.get_by_role("alert")).to_have_text(re.compile(r"^Trop de requêtes : réessayez dans \d+ s\.$"))
        context.close()


def test_a_fixed_filter_shows_only_its_territory_and_offers_no_such_facet(context, servers):
    _, site, _ = servers
    page = context.new_page()
    page.goto(site + "/territoire")
    component = page.locator("rtes-recherche")
    box = component.get_by_role("combobox")
    expect(box).to_have_attribute("placeholder", "ex. commande publique")
    box.fill("marchés")
    expect(component.get_by_role("status")).to_have_text("1 résultat pour « marchés »")
    assert all("Grand Est" in meta for meta in component.locator("ol.hits p.meta").all_inner_texts())
    expect(component.get_by_role("group", name="Type")).to_be_visible()
    expect(component.get_by_role("group", name="Territoire")).to_have_count(0)
