"""End to end in a real headless Chromium (Debian's, driven by playwright): what a person sees and does.

The app runs under uvicorn on a loopback port, over the real corpus. The
browser is /usr/bin/chromium, installed by the Makefile with apt-get
(playwright's own browser downloads are never used).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_support import arrow_to, chromium, served_app, tab_to
from conftest import WEBINAR
from http_support import make_app


@pytest.fixture(scope="module")
def base_url(corpus_index):
    with served_app(make_app(corpus_index)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture()
def page(browser, base_url):
    context = browser.new_context(base_url=base_url, locale="fr-FR")
    tab = context.new_page()
    tab.requested = []
    tab.on("request", lambda request: tab.requested.append(request.url))
    yield tab
    context.close()


def test_type_a_query_and_read_highlighted_results(page, base_url):
    page.goto("/")
    page.get_by_label("Rechercher une ressource").fill("marchés réservés")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=march*")
    expect(page.get_by_role("heading", level=2, name="4 résultats pour « marchés réservés »")).to_be_visible()
    first = page.locator("ol.hits > li").first
    title = 'Retour sur la conférence en ligne "Marchés réservés" du 5 juin 2018'
    expect(first.get_by_role("link")).to_have_text(title)
    expect(first.locator("p.meta")).to_contain_text("Conférence en ligne · 2018 · Grand Est")
    expect(first.locator("mark").first).to_be_visible()
    assert all(url.startswith(base_url) for url in page.requested), page.requested


def test_tick_a_facet_then_remove_its_chip(page):
    page.goto("/?q=collectivités")
    page.get_by_role("group", name="Année").get_by_label("2018").check()
    page.wait_for_url("**year=2018*")
    expect(page.get_by_role("link", name="Retirer le filtre Année : 2018")).to_be_visible()
    expect(page.get_by_role("group", name="Année").get_by_label("2018")).to_be_checked()
    titles = page.locator("ol.hits h3").all_inner_texts()
    assert titles and all("2018" in meta for meta in page.locator("ol.hits p.meta").all_inner_texts())
    page.get_by_role("link", name="Retirer le filtre Année : 2018").click()
    page.wait_for_url(lambda url: "year=" not in url)
    expect(page.get_by_role("group", name="Année").get_by_label("2018")).not_to_be_checked()


def test_change_page_then_follow_a_result(page):
    page.goto("/?sort=date&limit=4")
    page.get_by_role("navigation", name="Pages de résultats").get_by_role("link", name="Page 2").click()
    page.wait_for_url("**page=2*")
    expect(page.locator(".pagination [aria-current=page]")).to_have_text("2")
    expect(page.locator("ol.hits > li")).to_have_count(4)
    title = page.locator("ol.hits h3 a").first.inner_text()
    page.locator("ol.hits h3 a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("dl.meta")).to_contain_text("Type")
    expect(page.get_by_role("region", name="Ressources proches").get_by_role("link").first).to_be_visible()


def test_suggestions_as_you_type_and_did_you_mean(page):
    page.goto("/")
    box = page.get_by_role("combobox", name="Rechercher une ressource")
    box.press_sequentially("march", delay=30)
    # The list is replaced as each letter arrives: wait for the completion, never index a list that may change.
    expect(page.get_by_role("listbox", name="Suggestions").get_by_role("option", name="Marchés", exact=True)).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    page.get_by_role("option", name="Marchés", exact=True).click()
    page.wait_for_url("**/?q=March*")
    expect(page.locator("#resultats-titre")).to_contain_text("pour « Marchés »")
    page.goto("/?q=marches resreves")
    page.get_by_role("link", name="marches réservés").click()
    page.wait_for_url("**q=marches+r*")
    expect(page.locator("#resultats-titre")).to_contain_text("4 résultats")


def test_works_without_javascript(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/?q=coopération")
    page.get_by_role("group", name="Territoire").get_by_label("Bretagne").check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url("**territory=Bretagne*")
    expect(page.locator("#resultats-titre")).to_have_text("1 résultat pour « coopération »")
    context.close()


def test_keyboard_only(page):
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    page.keyboard.type("Enercoo", delay=30)
    option = page.get_by_role("option", name="Enercoop", exact=True)
    expect(option).to_be_visible()
    arrow_to(page, option)
    page.keyboard.press("Enter")   # picks the completion and searches it
    page.wait_for_url("**q=Enercoop*")
    tab_to(page, page.get_by_role("group", name="Année").get_by_role("checkbox").first)
    page.keyboard.press("Space")
    page.wait_for_url("**year=*")
    expect(page.get_by_role("group", name="Année").get_by_role("checkbox").first).to_be_checked()
    tab_to(page, page.locator("ol.hits h3 a").first)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Enercoop")
    tab_to(page, page.get_by_role("link", name="‹ Retour aux résultats"))
    page.keyboard.press("Enter")
    page.wait_for_url("**q=Enercoop*year=*")


def test_readable_on_a_phone(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(f"/documents/{WEBINAR}")
    page.goto("/?q=collectivités territoriales")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.snippet')).fontSize)")
    assert font >= 14
    context.close()


def test_map_counts_match_the_facets_and_a_click_filters(page):
    page.goto("/?q=collectivités")
    drawn = page.locator("figure.map svg")
    expect(drawn).to_be_visible()
    assert drawn.bounding_box()["width"] > 200
    areas = page.locator("figure.map svg a").evaluate_all(
        "links => links.map(a => [a.dataset.territory, a.dataset.count, a.querySelector('title').textContent])")
    facet_counts = page.locator("fieldset[data-facet=territory] label").evaluate_all(
        "labels => labels.map(l => [l.querySelector('input').value, l.querySelector('.n').textContent])")
    counted = {label: count for label, count, _ in areas if count != "0"}
    drawn_labels = {label for label, _, _ in areas}
    assert counted and counted == {label: n for label, n in facet_counts if label in drawn_labels}
    assert ["Bretagne", "1", "Bretagne : 1 ressource"] in areas
    page.locator('figure.map svg a[data-territory="Bretagne"] path').first.click()
    page.wait_for_url("**territory=Bretagne*")
    expect(page.get_by_role("link", name="Retirer le filtre Territoire : Bretagne")).to_be_visible()
    expect(page.locator("figure.map figcaption")).to_have_text("Bretagne : ressources par département")
    expect(page.locator("#resultats-titre")).to_have_text("1 résultat pour « collectivités »")


def test_map_is_under_the_facets_on_a_phone(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto("/?q=collectivités")
    last_facet = page.locator("fieldset.facet").last.bounding_box()
    drawn = page.locator("figure.map").bounding_box()
    assert drawn["y"] > last_facet["y"] + last_facet["height"] and drawn["width"] > 250
    context.close()
