"""The crawler against a local copy of the RTES site on 127.0.0.1 (see site_server.py)."""

from __future__ import annotations

import doctest
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from indexer.crawl.crawler import crawl
from indexer.crawl.fetcher import USER_AGENT
from indexer.crawl import fetcher as fetcher_module
from indexer.crawl import links as links_module
from indexer.crawl.state import CrawlState, Entry
from indexer import report as report_module
from indexer.ingest import html_text
from indexer.ingest import site as site_module
from search import Searcher
from search.cli import cli

from conftest import ROOT
from site_server import SiteServer
from test_html_ingest import SITE
from conftest import COCONST_FICHE

# Short enough to keep the suite quick, shorter than the slow page's delay.
TIMEOUT = 1.0
RESOURCES = 17  # resource pages of the fixture site with a body (one has none)
SITE_PAGES = 4  # "Le RTES", agenda, contact, mentions légales: pages of text, documents unless --resources-only
SITE_LEFT_OUT = 4  # the home page, the listing and its two pager pages
EXPECTED_ERRORS = {
    "boucle-a": "boucle de redirections (plus de 5)",
    "page-supprimee": "HTTP 404 (page introuvable)",
    "erreur-serveur": "HTTP 500 (erreur du serveur)",
    "page-lente": f"délai dépassé ({TIMEOUT:g} s)",
    "sites/default/files/introuvable.docx": "HTTP 404 (page introuvable)",
}


@pytest.fixture()
def site(tmp_path):
    """A private copy of the fixture site (tests change pages), served on a free port."""
    root = tmp_path / "www"
    shutil.copytree(SITE, root)
    with SiteServer(root) as server:
        yield server


def run_crawl(site, out, **options):
    return crawl(site.url, out, delay=0, timeout=TIMEOUT, **options)


def test_first_crawl_fetches_the_site_and_reports_errors_without_stopping(site, tmp_path):
    report = run_crawl(site, tmp_path / "out")
    errors = {url.removeprefix(site.url): reason for url, reason in report.errors}
    assert errors == EXPECTED_ERRORS
    assert (report.fetched, report.unchanged, report.pending, report.robots_excluded) == (28, 0, 0, 1)
    state = CrawlState.load(tmp_path / "out")
    assert state.finished
    stored = {url.removeprefix(site.url) for url, entry in state.entries.items() if state.local_path(entry)}
    assert {"ressources?page=1", "ressources?page=2", COCONST_FICHE,
            "sites/default/files/guides/co-construction-version-imprimable.pdf"} <= stored
    entry = state.entries[site.url + COCONST_FICHE]
    assert entry.etag and entry.last_modified and entry.fetched_at.endswith("Z")


def test_politeness_robots_nofollow_user_agent_and_site_boundary(site, tmp_path):
    run_crawl(site, tmp_path / "out")
    paths = [path for path, _, _ in site.log]
    assert paths[0] == "/robots.txt"
    assert "/admin/config" not in paths  # Disallow: /admin/
    assert "/espace-adherents" not in paths  # rel="nofollow"
    assert not any("#" in p or "partenaire" in p for p in paths)  # fragments dropped, other sites left alone
    once = [p for p in paths if not p.startswith("/boucle-")]  # the loop is followed 5 times, then given up
    assert len(once) == len(set(once))
    assert {agent for _, _, agent in site.log} == {USER_AGENT}


def test_redirect_is_stored_under_its_target(site, tmp_path):
    run_crawl(site, tmp_path / "out")
    assert site.requests_for("/ancienne-adresse-co-construction") == [301]
    assert site.requests_for("/" + COCONST_FICHE) == [200]
    alias = CrawlState.load(tmp_path / "out").entries[site.url + "ancienne-adresse-co-construction"]
    assert (alias.redirect, alias.file) == (site.url + COCONST_FICHE, "")
    site.log.clear()
    run_crawl(site, tmp_path / "out")  # the next crawl asks the old address with the target's validators
    assert site.requests_for("/" + COCONST_FICHE) == [304]


def test_second_crawl_uses_conditional_requests_and_fetches_only_what_changed(site, tmp_path):
    run_crawl(site, tmp_path / "out")
    page = site.root / "pages" / "les-scic-et-les-collectivites-territoriales.html"
    page.write_text(page.read_text(encoding="utf-8").replace("bretonnes", "bretonnes et normandes"), encoding="utf-8")
    site.log.clear()
    report = run_crawl(site, tmp_path / "out")
    assert (report.fetched, report.unchanged) == (1, 27)
    # The slow page has no stored copy, so it is asked for in full each time (and times out again).
    bodies = [path for path, status, _ in site.log if status == 200 and path != "/page-lente"]
    assert bodies == ["/robots.txt", "/les-scic-et-les-collectivites-territoriales"]
    assert site.requests_for("/page-lente") == [200]


def test_an_interrupted_crawl_resumes_where_it_stopped(site, tmp_path):
    first = run_crawl(site, tmp_path / "out", max_pages=5)
    state = CrawlState.load(tmp_path / "out")
    assert not state.finished and first.pending == len(state.frontier) > 0
    done = {path for path, status, _ in site.log if status == 200 and path != "/robots.txt"}
    site.log.clear()
    rest = run_crawl(site, tmp_path / "out")
    again = {path for path, _, _ in site.log} & done
    assert again == set(), "pages fetched before the interruption are not asked for again"
    assert rest.pending == 0 and CrawlState.load(tmp_path / "out").finished
    assert first.fetched + rest.fetched == 28


def test_a_page_removed_from_the_site_loses_its_copy(site, tmp_path):
    run_crawl(site, tmp_path / "out")
    (site.root / "pages" / "clauses-sociales-et-achats-responsables.html").unlink()
    report = run_crawl(site, tmp_path / "out")
    assert report.removed == 1
    entry = CrawlState.load(tmp_path / "out").entries[site.url + "clauses-sociales-et-achats-responsables"]
    assert (entry.status, entry.file) == (404, "")


def cli_run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_crawl_then_index_makes_every_resource_searchable_with_its_pdf(site, tmp_path):
    out, index = tmp_path / "site", tmp_path / "index"
    crawled = cli_run("crawl", site.url, "--out", out, "--delay", 0, "--timeout", TIMEOUT, "--json", "-q")
    assert crawled.exit_code == 0 and json.loads(crawled.stdout)["fetched"] == 28
    indexed = cli_run("index", out, "--index-dir", index, "-q")
    assert indexed.exit_code == 0
    assert indexed.stdout == (f"ajoutés {RESOURCES + SITE_PAGES}, mis à jour 0, supprimés 0, inchangés 0, "
                              f"ignorés {SITE_LEFT_OUT + 1} (avec erreurs)\n")
    with Searcher(index) as searcher:
        # Only the PDF holds the phrase (a compound's parts also match apart, ranked after it).
        hits = searcher.search("grille d'auto-évaluation").hits
        assert hits[0].id == COCONST_FICHE and "grille" in hits[0].snippet.lower()
        assert [h.id for h in searcher.search("co-construction version imprimable").hits].count(COCONST_FICHE) == 1
        report = searcher.search("rapport d'activité 2021").hits[0]  # the PDF "Le RTES" links to is part of it
        assert report.id == "le-rtes" and "[Document joint : rapport-activite-2021.pdf]" in searcher.document("le-rtes").body
        assert searcher.search("ressourceries Besançon").hits[0].id == "economie-circulaire-reemploi-et-ressourceries"
        assert searcher.search("", include_private=True).total == RESOURCES + SITE_PAGES
        assert searcher.search("").total == RESOURCES - 2 + SITE_PAGES  # two private resources hidden


def test_a_changed_page_is_updated_in_the_index(site, tmp_path):
    out, index = tmp_path / "site", tmp_path / "index"
    cli_run("crawl", site.url, "--out", out, "--delay", 0, "--timeout", TIMEOUT, "-q")
    cli_run("index", out, "--index-dir", index, "-q")
    page = site.root / "pages" / "les-scic-et-les-collectivites-territoriales.html"
    page.write_text(page.read_text(encoding="utf-8").replace("mobilité", "mobilité partagée et d'autopartage"),
                    encoding="utf-8")
    recrawled = cli_run("crawl", site.url, "--out", out, "--delay", 0, "--timeout", TIMEOUT, "-q")
    assert recrawled.stdout == (
        f"pages : 1 récupérée(s), 27 inchangée(s), 0 supprimée(s), 5 erreur(s), 1 exclue(s) par robots.txt, "
        f"0 en attente → {out}\n"
    )
    again = cli_run("index", out, "--index-dir", index, "-q")
    assert again.stdout == (f"ajoutés 0, mis à jour 1, supprimés 0, inchangés {RESOURCES + SITE_PAGES - 1}, "
                            f"ignorés {SITE_LEFT_OUT + 1} (avec erreurs)\n")
    with Searcher(index) as searcher:
        assert [h.id for h in searcher.search("autopartage").hits] == ["les-scic-et-les-collectivites-territoriales"]


def test_crawl_rejects_a_non_http_url():
    result = CliRunner().invoke(cli, ["crawl", "ftp://example.org/"])
    assert result.exit_code == 2 and "URL http(s) attendue" in result.stderr


@pytest.mark.parametrize("module", [links_module, html_text, report_module, site_module])
def test_docstring_examples(module):
    assert doctest.testmod(module).failed == 0


def test_requests_are_spaced_by_the_delay_and_robots_crawl_delay(site, tmp_path, monkeypatch):
    (site.root / "robots.txt").write_text("User-agent: *\nCrawl-delay: 3\nDisallow: /admin/\n", encoding="utf-8")
    clock, pauses = [1000.0], []

    def sleep(seconds):
        pauses.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(fetcher_module.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(fetcher_module.time, "sleep", sleep)
    crawl(site.url, tmp_path / "out", max_pages=3, delay=1.0, timeout=TIMEOUT)
    assert pauses == [3.0, 3.0, 3.0], "robots.txt's Crawl-delay (3 s) wins over --delay 1 between the 4 requests"


def test_a_crawl_killed_midway_resumes_from_its_saved_state(site, tmp_path):
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-c", "from search.cli import main; main()", "crawl", site.url, "--out", str(out),
         "--delay", "0.2", "--timeout", str(TIMEOUT), "-q"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not (out / "crawl.json").exists() or len(CrawlState.load(out).visited) < 4:
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    killed = CrawlState.load(out)
    assert not killed.finished and killed.frontier
    done = {url for url, entry in killed.entries.items() if killed.local_path(entry)}
    site.log.clear()
    report = run_crawl(site, out)
    refetched = {site.url + path.lstrip("/") for path, status, _ in site.log if status == 200} & done
    assert refetched == set(), "what was stored before the kill is not fetched again"
    assert report.pending == 0 and CrawlState.load(out).finished
    stored = [e for e in CrawlState.load(out).entries.values() if e.file]
    assert len(stored) == 28


PLAIN = SITE / "plain"  # a small site of another kind: no "Type de ressource" field anywhere
PLAIN_DOCUMENTS = {
    "actualites-atelier-reparation-velos", "actualites-collecte-textile-printemps", "actualites-bilan-annuel-2023",
    "actualites-chantier-insertion", "actualites-ressourcerie-en-scic", "qui-sommes-nous", "contact",
    "mentions-legales", "sites-default-files-rapport-moral-2023-docx",  # a Word file only the site map links to
}
PLAIN_LEFT_OUT = {  # pages that are structurally not content, with the reason the summary gives
    "": "page d'accueil", "actualites": "page de liste", "plan-du-site": "page de liste",
    "actualites?page=2": "page de pagination", "tags/reemploi": "page d'étiquette ou de catégorie",
}


@pytest.fixture()
def plain_site(tmp_path):
    root = tmp_path / "plain-www"
    shutil.copytree(PLAIN, root)
    with SiteServer(root) as server:
        yield server


def crawl_and_index(site, tmp_path, crawl_options=(), index_options=()):
    out, index = tmp_path / "crawl", tmp_path / "index"
    crawled = cli_run("crawl", site.url, "--out", out, "--delay", 0, "--timeout", TIMEOUT, "-q", *crawl_options)
    assert crawled.exit_code == 0, crawled.output
    return cli_run("index", out, "--index-dir", index, "-q", *index_options), index


def test_any_site_pages_with_text_are_documents_and_the_others_are_reported(plain_site, tmp_path):
    indexed, index = crawl_and_index(plain_site, tmp_path, index_options=["--json"])
    assert indexed.exit_code == 0, indexed.output
    report = json.loads(indexed.stdout)
    assert (report["added"], report["skipped"], report["errors"]) == (len(PLAIN_DOCUMENTS), len(PLAIN_LEFT_OUT), [])
    assert {item["source"].removeprefix(plain_site.url): item["reason"] for item in report["left_out"]} == PLAIN_LEFT_OUT
    with Searcher(index) as searcher:
        assert {h.id for h in searcher.search("", limit=20).hits} == PLAIN_DOCUMENTS
        hit = searcher.search("réparation de vélos").hits[0]
        assert (hit.id, hit.date) == ("actualites-atelier-reparation-velos", "2024-03-03")
        assert hit.url == plain_site.url + "actualites/atelier-reparation-velos"
        assert searcher.search("chantier d'insertion conseillère").hits[0].id == "actualites-chantier-insertion"
        # Office files: statutes read into the page that links to them, a report on its own.
        assert [h.id for h in searcher.search("prévention des déchets par le réemploi").hits][:1] == ["qui-sommes-nous"]
        report = searcher.search("bénévoles du magasin solidaire").hits[0]
        assert (report.title, report.url) == ("Rapport moral 2023", plain_site.url + "sites/default/files/rapport-moral-2023.docx")
        # One sentence of news is a document (the example), found by its words.
        assert [h.id for h in searcher.search("ressourcerie SCIC communauté de communes").hits][:1] == [
            "actualites-ressourcerie-en-scic"]


@pytest.mark.parametrize("option", ["crawl", "index"])
def test_resources_only_keeps_the_strict_rule_and_says_why_each_page_is_left_out(plain_site, tmp_path, option):
    options = {"crawl_options": ["--resources-only"]} if option == "crawl" else {"index_options": ["--resources-only"]}
    options.setdefault("index_options", []).append("--json")
    indexed, index = crawl_and_index(plain_site, tmp_path, **options)
    assert indexed.exit_code == 0, indexed.output
    assert [item["reason"] for item in json.loads(indexed.stdout)["left_out"]] == [
        "sans champ « Type de ressource » (--resources-only)"] * 13
    with Searcher(index) as searcher:  # files no resource page links to are documents, as the RTES site's PDF is
        assert {h.id for h in searcher.search("", limit=20).hits} == {
            "sites-default-files-rapport-moral-2023-docx", "sites-default-files-statuts-ressourcerie-odt"}


def test_resources_only_with_nothing_but_pages_says_why_nothing_is_indexed(plain_site, tmp_path):
    shutil.rmtree(plain_site.root / "sites")  # no office file: pages only
    indexed, _ = crawl_and_index(plain_site, tmp_path, index_options=["--resources-only"])
    assert indexed.exit_code == 1
    assert indexed.stderr.strip() == (
        f"Erreur : aucun document indexable dans {tmp_path / 'crawl'} : "
        "13 × sans champ « Type de ressource » (--resources-only)"
    )


def test_the_message_says_why_each_kind_of_page_was_left_out(plain_site, tmp_path):
    out = tmp_path / "crawl"
    crawl(plain_site.url, out, delay=0, timeout=TIMEOUT, max_pages=1)  # the home page only
    indexed = cli_run("index", out, "--index-dir", tmp_path / "index")
    assert indexed.exit_code == 1
    assert indexed.stderr.endswith(": 1 × page d'accueil\n")
    state = CrawlState.load(out)  # as if the crawl had also stored two listings, a pager's page and a tag page
    for path in ("actualites", "plan-du-site", "actualites?page=2", "tags/reemploi"):
        url = plain_site.url + path
        slug = path.replace("/", "-").replace("?page=", "-page-")
        stored = state.store(url, (PLAIN / "pages" / f"{slug}.html").read_bytes(), ".html")
        state.entries[url] = Entry(url, file=stored, status=200, content_type="text/html")
    state.save()
    again = cli_run("index", out, "--index-dir", tmp_path / "index")
    assert again.stderr.endswith(
        ": 2 × page de liste, 1 × page d'accueil, 1 × page de pagination, 1 × page d'étiquette ou de catégorie\n"
    )


def test_resources_only_on_the_rtes_site_indexes_the_same_resources(site, tmp_path):
    indexed, index = crawl_and_index(site, tmp_path, crawl_options=["--resources-only"])
    # The rapport PDF is a document of its own: "Le RTES", which links to it, is not a resource.
    assert indexed.stdout == (f"ajoutés {RESOURCES + 1}, mis à jour 0, supprimés 0, inchangés 0, "
                              f"ignorés {SITE_PAGES + SITE_LEFT_OUT + 1} (avec erreurs)\n")
    assert CrawlState.load(tmp_path / "crawl").resources_only


def test_fetch_errors_are_said_in_french():
    import socket

    with socket.socket() as closed:  # a port nobody listens on once this socket is closed
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    fetch = fetcher_module.Fetcher(delay=0, timeout=TIMEOUT).get(f"http://127.0.0.1:{port}/")
    assert fetch.error == "connexion impossible (serveur injoignable ou refus)"
    assert [fetcher_module.http_error(s) for s in (403, 410, 418)] == [
        "HTTP 403 (accès interdit)", "HTTP 410 (page supprimée)", "HTTP 418"]
