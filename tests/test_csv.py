"""CSV for spreadsheets: ``search --csv`` and ``GET /api/v1/search.csv`` on the real corpus, parsed with ``csv``."""

from __future__ import annotations

import csv
import doctest
import io
import json

from click.testing import CliRunner

from search import csv_export
from search.cli import cli
from search.csv_export import COLUMNS

from conftest import SIEG, WEBINAR
from http_support import TOKEN


def _rows(text: str, separator: str = ",") -> list[dict]:
    assert text.startswith("\ufeff"), "the BOM tells Excel the file is UTF-8"
    reader = csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=separator)
    assert tuple(reader.fieldnames) == COLUMNS
    return list(reader)


def _cli(corpus_index, *args) -> str:
    result = CliRunner().invoke(cli, ["search", *args, "--index-dir", str(corpus_index)])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes.decode("utf-8")   # .stdout would turn CRLF into LF


def test_cli_csv_has_one_row_per_hit_of_every_page(corpus_index):
    rows = _rows(_cli(corpus_index, "marchés réservés", "--csv", "--limit", "2"))
    hits = json.loads(_cli(corpus_index, "marchés réservés", "--json", "--limit", "100"))["hits"]
    assert len(rows) == len(hits) == 4    # --limit is a page size: the CSV holds every page
    assert [r["id"] for r in rows] == [h["id"] for h in hits]
    webinar = next(r for r in rows if r["id"] == WEBINAR)
    assert webinar["title"] == 'Retour sur la conférence en ligne "Marchés réservés" du 5 juin 2018'
    assert (webinar["type"], webinar["year"], webinar["date"]) == ("Conférence en ligne", "2018", "2018-06-05")
    assert webinar["themes"] == "commande publique | emploi et insertion"
    assert webinar["territories"].split(" | ")[:2] == ["Grand Est", "Auvergne-Rhône-Alpes"]
    assert float(webinar["score"]) == next(h["score"] for h in hits if h["id"] == WEBINAR)


def test_semicolon_separator_writes_decimal_commas_for_french_spreadsheets(corpus_index):
    text = _cli(corpus_index, "marchés réservés", "--csv-sep", ";")
    assert text.splitlines()[0] == "\ufeffid;title;type;year;date;themes;territories;url;score"
    rows = _rows(text, ";")
    assert len(rows) == 4 and all("," in r["score"] and "." not in r["score"] for r in rows)
    assert "\r\n" in text


def test_http_csv_is_the_cli_csv(client, corpus_index):
    answer = client.get("/api/v1/search.csv", params={"q": "collectivités", "year": "2018", "sep": ";"})
    assert answer.status_code == 200 and answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="rtes-recherche.csv"' in answer.headers["content-disposition"]
    assert answer.text == _cli(corpus_index, "collectivités", "--year", "2018", "--csv-sep", ";")
    assert {r["year"] for r in _rows(answer.text, ";")} == {"2018"}


def test_private_resources_only_with_access(client, corpus_index):
    query = {"q": "services d'intérêt économique général"}
    public = [r["id"] for r in _rows(client.get("/api/v1/search.csv", params=query).text)]
    token = {"Authorization": f"Bearer {TOKEN}"}
    private = [r["id"] for r in _rows(client.get("/api/v1/search.csv", params=query, headers=token).text)]
    assert public and SIEG not in public and private[0] == SIEG
    assert SIEG not in _cli(corpus_index, "", "--csv")
    assert SIEG in _cli(corpus_index, "", "--csv", "--include-private")


def test_rows_are_the_search_order_up_to_the_cap_without_snippets(searcher):
    for query, sort in (("", "relevance"), ("marchés", "relevance"), ("marchés", "date")):
        everything = searcher.search(query, limit=100, sort=sort).hits
        hits = searcher.hits(query, limit=3, sort=sort)
        assert [h.id for h in hits] == [h.id for h in everything[:3]] and all(h.snippets == () for h in hits)
        assert [h.score for h in hits] == [h.score for h in everything[:3]]


def test_strict_applies_to_the_csv_too(corpus_index):
    result = CliRunner().invoke(cli, ["search", "ESS (", "--strict", "--csv", "--index-dir", str(corpus_index)])
    assert result.exit_code == 2 and "parenthèse ouvrante sans fermante" in result.output


def test_bad_separator_is_refused(client, corpus_index):
    answer = client.get("/api/v1/search.csv", params={"sep": "|"})
    assert answer.status_code == 400 and answer.json()["error"]["param"] == "sep"
    result = CliRunner().invoke(cli, ["search", "x", "--csv-sep", "|", "--index-dir", str(corpus_index)])
    assert result.exit_code == 2


def test_a_cell_never_runs_as_a_formula():
    assert doctest.testmod(csv_export).failed == 0
    row = csv_export.hit_row(csv_export.Hit("=HYPERLINK(1)", "-titre", 1.5, (), "", "", "", ("@x",), (), False, ""))
    assert row[:2] == ["'=HYPERLINK(1)", "'-titre"] and row[5] == "'@x" and row[-1] == "1.5000"
