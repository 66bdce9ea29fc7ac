"""Bad records never stop a run, and nothing that cannot be stored is stored, whatever the source:
undecodable lines, lone surrogates, impossible dates, addresses that are not links; and a folder
named by a relative then an absolute path holds the same documents."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from indexer.documents import Document, IngestError, IngestWarning, checked
from indexer.ingest.html import parse_page
from indexer.metadata import extract_metadata
from search import Searcher
from search.cli import cli

from conftest import CORPUS


def index(*args):
    return CliRunner().invoke(cli, ["index", *map(str, args)], catch_exceptions=False)


def test_a_bad_jsonl_line_of_any_kind_is_reported_with_its_number_and_the_others_kept(tmp_path):
    lines = [
        b'{"id": "a", "title": "Premier", "text": "Un texte correct."}',
        b'{"id": "b", "title": "Caract\xe8re latin-1", "text": "octets non UTF-8"}',
        b'{"id": "c", "title": "Demi-paire \\udfff", "text": "une substitution seule"}',
        b'{"id": "d", "title": "Date impossible", "text": "texte", "date": "2018-13-45"}',
        b'{"id": "e", "title": "Lien", "text": "texte", "url": "javascript:alert(1)"}',
        b'{"id": "f", "title": "Dernier", "text": "Un autre texte correct.", "url": "mailto:contact@rtes.fr"}',
    ]
    source = tmp_path / "records.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    result = index(source, "--index-dir", tmp_path / "ix", "--field", "date=date", "--field", "url=url", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["added"], report["skipped"]) == (4, 2)
    assert [(e["line"], e["reason"]) for e in report["errors"]] == [
        (2, "ligne illisible : octets qui ne sont pas de l'UTF-8"),
        (3, "caractère invalide (demi-paire de substitution) dans « title »"),
    ]
    assert [(w["line"], w["reason"]) for w in report["warnings"]] == [
        (4, "date impossible ou illisible, non gardée : '2018-13-45'"),
        (5, "adresse refusée (ni http, ni https, ni mailto) : 'javascript:alert(1)'"),
    ]
    assert f"avertissement : {source}:4: date impossible" in result.stderr
    with Searcher(tmp_path / "ix") as searcher:
        stored = {d: searcher.document(d) for d in ("a", "d", "e", "f")}
        assert (stored["d"].date, stored["d"].year, stored["e"].url) == ("", "", "")
        assert stored["f"].url == "mailto:contact@rtes.fr"


def test_an_undecodable_csv_row_is_reported_and_the_others_kept(tmp_path):
    source = tmp_path / "records.csv"
    source.write_bytes("id,title,text\nA,Première,Un texte\nB,Caract\xe8re,latin\nC,Troisième,Encore\n".encode()
                       .replace(b"\xc3\xa8re,latin", b"\xe8re,latin"))
    report = json.loads(index(source, "--index-dir", tmp_path / "ix", "--json", "-q").stdout)
    assert (report["added"], [(e["line"], e["reason"]) for e in report["errors"]]) == (
        2, [(3, "ligne illisible : octets qui ne sont pas de l'UTF-8")])


@pytest.mark.parametrize("title, date", [
    ("Rencontre du 31 juin 2018", ""),
    ("Rencontre du 29 février 2019", ""),
    ("Rencontre du 31 juin 2018, reportée au 2 juillet 2018", "2018-07-02"),
    ("Rencontre du 29 février 2020", "2020-02-29"),
])
def test_an_impossible_date_in_a_title_is_never_a_date(title, date):
    doc = extract_metadata(Document(id="r", title=title, body="Compte rendu."))
    assert (doc.date, doc.year) == (date, date[:4])


def test_an_impossible_published_date_of_a_page_is_passed_over():
    html = ("<html><head><meta property='article:published_time' content='2018-13-45T10:00:00'></head><body><main>"
            "<h1>Atelier</h1><p>Publié le 31 juin 2018</p><p>Du texte.</p></main></body></html>")
    page = parse_page(html.encode(), "https://example.org/atelier", "atelier.html")
    assert (page.document.date, page.document.year) == ("", "")
    later = parse_page(html.replace("<p>Du texte.", "<time datetime='2018-07-02'>2 juillet</time><p>Du").encode(),
                       "https://example.org/atelier", "atelier.html")
    assert (later.document.date, later.document.year) == ("2018-07-02", "2018")


@pytest.mark.parametrize("url, kept", [
    ("https://www.rtes.fr/guide", "https://www.rtes.fr/guide"),
    ("  http://www.rtes.fr/  ", "http://www.rtes.fr/"),
    ("mailto:contact@rtes.fr", "mailto:contact@rtes.fr"),
    ("javascript:alert(1)", ""),
    ("JavaScript:alert(1)", ""),
    (" java\tscript:alert(1)", ""),
    ("data:text/html,<script>alert(1)</script>", ""),
    ("vbscript:msgbox", ""),
    ("file:///etc/passwd", ""),
    ("//evil.example/x", ""),
    ("/ressources/guide", ""),
    ("https:///no-host", ""),
])
def test_only_http_https_and_mailto_addresses_are_kept(url, kept):
    doc, warnings = checked(Document(id="x", title="Ressource", url=url))
    assert doc.url == kept
    assert bool(warnings) == (not kept)


def test_a_lone_surrogate_anywhere_makes_the_record_an_error():
    error, warnings = checked(Document(id="x", title="Titre", themes=("ESS", "bad \udfff"), source="s.jsonl", line=7))
    assert error == IngestError("s.jsonl", 7, "caractère invalide (demi-paire de substitution) dans « themes »")
    assert warnings == ()


def test_a_good_document_is_kept_as_it_is():
    doc = Document(id="x", title="Titre", url="https://www.rtes.fr/", date="2018-06-05", year="2018")
    assert checked(doc) == (doc, ())
    assert checked(Document(id="x", title="T", date="2021-03-15T10:00:00Z"))[0].date == "2021-03-15"
    assert checked(Document(id="x", title="T", year="deux mille"))[1] == (
        IngestWarning("", 0, "année illisible, non gardée : 'deux mille'"),)


def test_the_same_folder_by_a_relative_then_an_absolute_path_is_unchanged(tmp_path, monkeypatch):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "rtes.txt").write_bytes((CORPUS / "rtes-ressources-export.txt").read_bytes())
    (tmp_path / "corpus" / "note.md").write_text("# Une note\n\nSon texte.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    first = index("corpus", "--index-dir", "ix", "-q")
    assert first.stdout == "ajoutés 11, mis à jour 0, supprimés 0, inchangés 0, ignorés 0\n"
    again = index(tmp_path / "corpus", "--index-dir", tmp_path / "ix", "-q")
    assert again.stdout == "ajoutés 0, mis à jour 0, supprimés 0, inchangés 11, ignorés 0\n"
    os.symlink(tmp_path / "corpus", tmp_path / "lien")
    through_link = index("lien", "--index-dir", "ix", "-q")
    assert through_link.stdout == "ajoutés 0, mis à jour 0, supprimés 0, inchangés 11, ignorés 0\n"


def test_a_document_moved_to_another_file_is_rewritten_with_its_new_origin(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "note.md").write_text("# Une note\n\nSon texte.\n", encoding="utf-8")
    index(tmp_path / "a", "--index-dir", tmp_path / "ix", "-q")
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "note.md").rename(tmp_path / "b" / "note.md")
    moved = index(tmp_path / "b", "--index-dir", tmp_path / "ix", "-q")
    assert moved.stdout == "ajoutés 0, mis à jour 1, supprimés 0, inchangés 0, ignorés 0\n"
