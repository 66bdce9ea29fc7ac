"""The HTML and PDF ingesters on the fixture site's pages (three Drupal layouts, broken markup, cp1252)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer import IngestError, iter_documents
from indexer.documents import IngestWarning
from indexer.ingest import read_sources
from indexer.ingest.html import page_id, parse_page
from indexer.ingest.pdf import read_pdf
from indexer.ingest.site import HOME, LISTING, NOT_RESOURCE, PAGER, TAGS, left_out

SITE = Path(__file__).resolve().parent / "fixtures" / "site"
PAGES = SITE / "pages"
GUIDE_PDF = SITE / "sites/default/files/guides/co-construction-version-imprimable.pdf"
BASE = "https://www.rtes.fr/"


def page(slug: str):
    return parse_page((PAGES / f"{slug}.html").read_bytes(), BASE + slug, f"{slug}.html")


def test_drupal8_resource_page_fields():
    parsed = page("point-de-reperess-co-construction-des-politiques-publiques")
    doc = parsed.document
    assert parsed.is_resource
    assert doc.id == "point-de-reperess-co-construction-des-politiques-publiques"
    assert doc.title == "Point de RepèrESS : Co-construction des politiques publiques"
    assert doc.body.startswith("Ce 6ème Points de RepèrESS, actualisé en avril 2019, s'intéresse à la co-construction")
    assert doc.body.endswith("Mots clés : politiques publiques, recherche-action")
    assert doc.summary.startswith("Ce 6ème Points de RepèrESS")
    assert (doc.collection, doc.private, doc.themes) == ("Ressources RTES", False, ("Co-construction",))
    assert (doc.year, doc.date, doc.lang) == ("2019", "2019-04-15", "fr")
    assert doc.url == BASE + "point-de-reperess-co-construction-des-politiques-publiques"
    assert doc.attachments == (BASE + "sites/default/files/guides/co-construction-version-imprimable.pdf",)


def test_navigation_footer_scripts_and_labels_are_not_body_text():
    doc = page("retour-sur-la-conference-en-ligne-marches-reserves-du-5-juin-2018").document
    for noise in ("Aller au contenu principal", "Mentions légales", "Newsletter", "menu prêt", "dataLayer",
                  "Accueil", "Type de ressource", "Ressource privée", "Zone d'action", "Rechercher"):
        assert noise not in doc.body
    assert doc.territories == ("Grand Est",)
    assert "Marchés réservés" in doc.title


def test_drupal7_layout_with_published_date_in_text():
    doc = page("les-scic-et-les-collectivites-territoriales").document
    assert doc.title == "Les SCIC et les collectivités territoriales"
    assert (doc.year, doc.date) == ("2021", "2021-02-02")  # "Publié le 2 février 2021"
    assert doc.collection == "Ressources RTES" and doc.private is False
    assert doc.summary == "Exemples de sociétés coopératives d'intérêt collectif associant des collectivités."
    assert "jusqu'à 50 % du capital d'une société coopérative" in doc.body


def test_definition_list_layout_and_time_element():
    doc = page("fiche-tiers-lieux-et-politiques-locales-de-l-ess").document
    assert (doc.year, doc.date) == ("2020", "2020-11-05")
    assert doc.summary == "Comment les collectivités soutiennent les tiers-lieux."
    assert "Résumé" not in doc.body and "fab labs" in doc.body


def test_private_resource():
    doc = page("compte-rendu-du-conseil-d-administration-de-mars").document
    assert (doc.private, doc.collection) == (True, "Ressources adhérents")


def test_broken_markup_keeps_title_body_and_fields_apart():
    doc = page("les-poles-territoriaux-de-cooperation-economique").document
    assert doc.title == "Les pôles territoriaux de coopération économique"
    assert doc.body.split("\n\n")[0].startswith("Un pôle territorial de coopération économique (PTCE) regroupe")
    assert doc.body.endswith("projets de développement local durable.")
    assert doc.summary == "Les PTCE, des coopérations économiques ancrées dans un territoire."
    assert doc.collection == "Ressources RTES"


def test_encoding_declared_in_meta_charset():
    raw = (PAGES / "economie-circulaire-reemploi-et-ressourceries.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    doc = page("economie-circulaire-reemploi-et-ressourceries").document
    assert doc.title == "Économie circulaire : réemploi et ressourceries"
    assert "À Besançon, Périgueux ou Nîmes" in doc.body


def test_page_without_body_is_an_ingest_error():
    error = page("ressource-en-cours-de-redaction")
    assert isinstance(error, IngestError)
    assert error.reason == "page sans contenu : « Ressource en cours de rédaction »"


def test_navigation_pages_are_not_resources():
    assert not page("ressources-page-1").is_resource
    assert not page("index").is_resource


PLAIN_PAGES = SITE / "plain" / "pages"


def plain_page(slug: str):
    return parse_page((PLAIN_PAGES / f"{slug}.html").read_bytes(), "https://example.org/" + slug, f"{slug}.html")


@pytest.mark.parametrize("path, reason", [
    ("actualites/atelier-reparation-velos", None),
    ("actualites/chantier-insertion", None),  # <div id="content"><article>, no <main>
    ("actualites/ressourcerie-en-scic", None),  # one sentence of news: a document all the same
    ("qui-sommes-nous", None),
    ("contact", None),  # short, but content
    ("mentions-legales", None),
    ("actualites", LISTING),  # four teasers under linked titles
    ("plan-du-site", LISTING),  # nothing but links
    ("actualites?page=2", PAGER),  # one teaser with its text: not a listing by its links, a pager's page by its address
    ("tags/reemploi", TAGS),  # two teasers: a tag page by its address
])
def test_a_page_with_text_is_a_document_unless_it_is_structurally_not_content(path, reason):
    slug = path.replace("/", "-").replace("?page=", "-page-")
    parsed = parse_page((PLAIN_PAGES / f"{slug}.html").read_bytes(), "https://example.org/" + path, f"{slug}.html")
    assert not parsed.is_resource
    assert left_out(parsed, parsed.document.url, "https://example.org/", resources_only=False) == reason
    assert left_out(parsed, parsed.document.url, "", resources_only=True) == NOT_RESOURCE


def test_the_home_page_and_the_rtes_listings_are_left_out_resources_never():
    home = plain_page("index")
    assert left_out(home, "https://example.org/", "https://example.org/", False) == HOME
    assert left_out(page("ressources"), BASE + "ressources", BASE, False) == LISTING
    assert left_out(page("ressources-page-1"), BASE + "ressources?page=1", BASE, False) == PAGER
    resource = page("les-scic-et-les-collectivites-territoriales")  # 49 words: a resource whatever its length
    assert left_out(resource, resource.document.url, BASE, True) is None


@pytest.mark.parametrize(
    "address, expected",
    [
        ("https://www.rtes.fr/les-scic-et-les-collectivites-territoriales", "les-scic-et-les-collectivites-territoriales"),
        ("https://www.rtes.fr/", "accueil"),
        ("https://www.rtes.fr/ressources?page=2", "ressources-page-2"),
        ("/tmp/pages/fiche-tiers-lieux.html", "fiche-tiers-lieux"),
    ],
)
def test_page_ids_are_url_slugs(address, expected):
    assert page_id(address) == expected


def test_pdf_text_title_and_date():
    title, text, date = read_pdf(GUIDE_PDF)
    assert title == "Points de RepèrESS : co-construction des politiques publiques (version imprimable)"
    assert date == "2019-04-15"  # its /CreationDate: the date of a PDF on its own when its text names none
    assert "grille d'auto-évaluation de la co-construction" in text


def test_standalone_html_file_gets_its_pdf_attached(tmp_path):
    slug = "point-de-reperess-co-construction-des-politiques-publiques"
    html = (PAGES / f"{slug}.html").read_text(encoding="utf-8")
    (tmp_path / f"{slug}.html").write_text(html.replace("/sites/default/files/guides/", ""), encoding="utf-8")
    shutil.copy(GUIDE_PDF, tmp_path)
    [doc] = list(iter_documents([tmp_path / f"{slug}.html"]))
    assert doc.id == slug and doc.attachments == ("co-construction-version-imprimable.pdf",)
    assert "[Document joint : co-construction-version-imprimable.pdf]" in doc.body
    assert "grille d'auto-évaluation" in doc.body


def test_an_attached_pdf_that_cannot_be_read_is_a_warning_and_the_page_is_kept(tmp_path):
    slug = "point-de-reperess-co-construction-des-politiques-publiques"
    html = (PAGES / f"{slug}.html").read_text(encoding="utf-8")
    (tmp_path / f"{slug}.html").write_text(html.replace("/sites/default/files/guides/", ""), encoding="utf-8")
    (tmp_path / "co-construction-version-imprimable.pdf").write_bytes(b"%PDF-1.4 ceci n'est pas un PDF")
    warning, doc = list(read_sources([tmp_path / f"{slug}.html"]))
    assert isinstance(warning, IngestWarning)
    assert warning.reason.startswith("pièce jointe non indexée : co-construction-version-imprimable.pdf (PDF illisible")
    assert doc.id == slug and doc.attachments == () and "[Document joint" not in doc.body


def test_unreadable_pdf_is_an_ingest_error(tmp_path):
    fake = tmp_path / "guide.pdf"
    fake.write_bytes(b"%PDF-1.4 ceci n'est pas un PDF")
    [error] = list(iter_documents([fake]))
    assert isinstance(error, IngestError) and error.reason.startswith("PDF illisible")


def test_title_and_date_in_the_article_header_are_kept():
    html = """<html lang="fr"><body><header><nav><a href="/">Accueil</a></nav></header><main><article>
    <header><h1>Fiche : les coopératives d'activité et d'emploi</h1>
    <p>Publié le <time datetime="2023-05-18">18 mai 2023</time></p></header>
    <p>Une coopérative d'activité et d'emploi accueille des porteurs de projet salariés.</p>
    </article></main></body></html>""".encode()
    doc = parse_page(html, BASE + "fiche-cae", "fiche-cae.html").document
    assert doc.title == "Fiche : les coopératives d'activité et d'emploi"
    assert (doc.year, doc.date) == ("2023", "2023-05-18")
    assert doc.body == "Une coopérative d'activité et d'emploi accueille des porteurs de projet salariés."


def test_a_folder_of_pages_and_pdfs_gives_one_result_per_page(tmp_path):
    slug = "point-de-reperess-co-construction-des-politiques-publiques"
    html = (PAGES / f"{slug}.html").read_text(encoding="utf-8")
    (tmp_path / f"{slug}.html").write_text(html.replace("/sites/default/files/guides/", ""), encoding="utf-8")
    shutil.copy(GUIDE_PDF, tmp_path / "a-co-construction-version-imprimable.pdf")  # sorts before the page
    shutil.copy(GUIDE_PDF, tmp_path)
    shutil.copy(SITE / "sites/default/files/rapport-activite-2021.pdf", tmp_path)
    ids = sorted(doc.id for doc in iter_documents([tmp_path]))
    assert ids == ["a-co-construction-version-imprimable", slug, "rapport-activite-2021"]
