"""Office, Markdown and plain-text files (tests/fixtures/formats, golden file tests/golden/formats.json),
a folder of every kind indexed end to end, and what is reported instead of indexed."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.documents import Document, IngestError, LeftOut
from indexer.ingest import ingest_upload, read_sources
from indexer.metadata import extract_metadata
from search import Searcher
from search.cli import cli

from conftest import CORPUS
from test_html_ingest import GUIDE_PDF, PAGES

FORMATS = Path(__file__).resolve().parent / "fixtures" / "formats"
GOLDEN = Path(__file__).resolve().parent / "golden" / "formats.json"
FIELDS = ("id", "title", "body", "summary", "type", "year", "date", "themes", "territories", "url", "private", "lang")


def ingested(path: Path) -> dict:
    """What the index keeps of a file: its one document, after the metadata step."""
    [doc] = [item for item in read_sources([path]) if isinstance(item, Document)]
    data = extract_metadata(doc).to_dict()
    return {name: data[name] for name in FIELDS}


@pytest.mark.parametrize("name", sorted(json.loads(GOLDEN.read_text("utf-8"))))
def test_each_format_matches_its_golden_document(name):
    assert ingested(FORMATS / name) == json.loads(GOLDEN.read_text("utf-8"))[name]


def test_dates_from_the_properties_only_when_the_text_gives_none():
    odt = next(read_sources([FORMATS / "guide-achats-responsables.odt"]))
    assert (odt.date, odt.file_date) == ("", "2022-05-10")  # the properties' date, kept aside
    assert extract_metadata(odt).date == "2022-05-10"  # the text names none: the properties date it
    docx = extract_metadata(next(read_sources([FORMATS / "rencontre-clermont.docx"])))
    assert docx.date == "2021-10-12", "the date in the title wins over the file's last modification"


def index_json(*args) -> dict:
    result = CliRunner().invoke(cli, ["index", *map(str, args), "--json", "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_folder_with_a_file_of_each_kind_indexes_them_all_and_reports_the_others(tmp_path):
    folder = tmp_path / "sources"
    shutil.copytree(FORMATS, folder)
    shutil.copy(CORPUS / "rtes-ressources-export.txt", folder)  # a .txt with the export's labels: 10 records
    shutil.copy(PAGES / "les-scic-et-les-collectivites-territoriales.html", folder)
    shutil.copy(GUIDE_PDF, folder)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    (folder / "vide.md").write_bytes(b"")
    (folder / ".git").mkdir()
    (folder / ".git" / "config").write_text("[core]\n")  # hidden: not a source, not reported
    report = index_json(folder, "--index-dir", tmp_path / "index")
    reasons = {Path(item["source"]).name: item["reason"] for item in report["left_out"]}
    assert reasons == {
        "README.md": "README", "make_files.py": "format non pris en charge : .py",
        "photo.jpg": "format non pris en charge : .jpg", "vide.md": "fichier vide",
    }
    assert (report["added"], report["skipped"], report["errors"]) == (10 + 8 + 2, 4, [])
    with Searcher(tmp_path / "index") as searcher:
        found = {query: [h.id for h in searcher.search(query).hits][:1] for query in (
            "achats responsables", "Grenoble-Alpes Métropole 85000", "monnaie locale subventions",
            "Livradois", "PTCE", "facilitateur", "cafés associatifs", "trésorier", "Enercoop",
            "grille d'auto-évaluation")}
    assert found == {
        "achats responsables": ["guide-achats-responsables"],
        "Grenoble-Alpes Métropole 85000": ["budget-ess-2022"],
        "monnaie locale subventions": ["monnaies-locales"],
        "Livradois": ["rencontre-clermont"],
        "PTCE": ["poles-territoriaux"],
        "facilitateur": ["marches-publics"],
        "cafés associatifs": ["note-tiers-lieux"],
        "trésorier": ["compte-rendu-bureau"],
        "Enercoop": ["fiche-deniche-pour-vous-n-4-ville-de-lille-enercoop"],
        "grille d'auto-évaluation": ["co-construction-version-imprimable"],
    }


def test_the_summary_line_names_each_file_left_out(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "notes.md").write_text("# Une note\n\nDu texte.\n", encoding="utf-8")
    (folder / "tableau.xlsx").write_bytes(b"PK\x03\x04")
    result = CliRunner().invoke(cli, ["index", str(folder), "--index-dir", str(tmp_path / "ix")])
    assert result.stdout == "ajoutés 1, mis à jour 0, supprimés 0, inchangés 0, ignorés 1\n"
    assert f"non indexé : {folder / 'tableau.xlsx'}: format non pris en charge : .xlsx\n" in result.stderr


def test_a_file_named_directly_says_why_it_gives_nothing(tmp_path):
    odd = tmp_path / "export.xyz"
    odd.write_text("du texte", encoding="utf-8")
    result = CliRunner().invoke(cli, ["index", str(odd), "--index-dir", str(tmp_path / "ix")])
    assert result.exit_code == 1
    assert result.stderr == f"Erreur : aucun document indexable dans {odd} : 1 × format non pris en charge : .xyz\n"


def test_a_readme_named_directly_is_read(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Lisez-moi\n\nLe guide des ressources.\n", encoding="utf-8")
    assert [d.title for d in read_sources([readme])] == ["Lisez-moi"]


def test_front_matter_values_that_cannot_be_stored_are_dropped_with_a_warning(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "fiche.md").write_text(
        "---\ntitle: Fiche\ndate: 2018-13-45\nurl: javascript:alert(1)\n---\n\nLe texte de la fiche.\n", encoding="utf-8")
    (folder / "casse.md").write_text("---\ntitle: [non fermé\n---\n\n# Titre du texte\n\nSon texte.\n",
                                       encoding="utf-8")
    report = index_json(folder, "--index-dir", tmp_path / "ix")
    assert (report["added"], report["errors"]) == (2, [])
    warnings = sorted((Path(w["source"]).name, w["line"], w["reason"].split(" :")[0]) for w in report["warnings"])
    assert warnings == [
        ("casse.md", 1, "en-tête YAML illisible, ignoré"),
        ("fiche.md", 0, "adresse refusée (ni http, ni https, ni mailto)"),
        ("fiche.md", 0, "date impossible ou illisible, non gardée"),
    ]
    with Searcher(tmp_path / "ix") as searcher:
        fiche = searcher.document("fiche")
        assert (fiche.url, fiche.date, fiche.year) == ("", "", "")
        assert searcher.document("casse").title == "Titre du texte"


@pytest.mark.parametrize("name", ["abime.docx", "abime.pptx", "abime.odt", "abime.ods"])
def test_a_damaged_office_file_is_an_error_not_a_crash(tmp_path, name):
    (tmp_path / name).write_bytes(b"PK\x03\x04 not a zip at all")
    [error] = list(read_sources([tmp_path / name]))
    assert type(error) is IngestError and error.line == 0 and "illisible" in error.reason


@pytest.mark.parametrize("name, part", [
    ("rencontre-clermont.docx", "word/document.xml"),
    ("poles-territoriaux.pptx", "ppt/slides/slide2.xml"),
    ("guide-achats-responsables.odt", "content.xml"),
])
def test_an_office_file_with_a_cut_xml_part_is_an_error_not_a_crash(tmp_path, name, part):
    """A valid zip holding broken XML (lxml's XMLSyntaxError, not a zip error)."""
    with zipfile.ZipFile(FORMATS / name) as original, zipfile.ZipFile(tmp_path / name, "w") as damaged:
        for item in original.namelist():
            content = original.read(item)
            damaged.writestr(item, content[: len(content) // 2] if item == part else content)
    [error] = list(read_sources([tmp_path / name]))
    assert type(error) is IngestError and "illisible : XMLSyntaxError" in error.reason


def test_an_office_file_without_text_is_left_out_saying_so(tmp_path):
    import docx

    docx.Document().save(tmp_path / "vierge.docx")
    assert list(read_sources([tmp_path / "vierge.docx"])) == [LeftOut(str(tmp_path / "vierge.docx"), 0, "fichier sans texte")]


def test_a_file_received_as_bytes_is_read_under_its_own_name():
    [doc] = ingest_upload((FORMATS / "poles-territoriaux.pptx").read_bytes(), "PTCE 2022.pptx")
    assert (doc.id, doc.title, doc.source) == (
        "ptce-2022", "Les pôles territoriaux de coopération économique", "PTCE 2022.pptx")
    [export_doc, *_] = ingest_upload((CORPUS / "rtes-ressources-export.txt").read_bytes(), "export.txt")
    assert export_doc.collection and export_doc.source == "export.txt"
