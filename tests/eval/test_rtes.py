"""The RTES evaluation set: each query ranks a right resource first, or is a known failure.

``rtes/queries.tsv`` holds French queries written from reading the corpus,
one or more per rule of the analyzer and per thesaurus direction (column
``case``); ``rtes/qrels.trec`` the resources that answer them;
``rtes/known_failures.tsv`` the queries that do not, with the reason.
"""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from search.cli import cli
from search.evaluation import read_qrels, read_queries

from conftest import ROOT

RTES = ROOT / "tests" / "eval" / "rtes"
QUERIES = read_queries(RTES / "queries.tsv")
QRELS = read_qrels(RTES / "qrels.trec")
with (RTES / "known_failures.tsv").open(encoding="utf-8") as f:
    KNOWN_FAILURES = {row["qid"]: row["reason"] for row in csv.DictReader(f, delimiter="\t")}


def test_the_set_is_large_enough_and_judged():
    assert len(QUERIES) >= 30
    assert all(q.qid in QRELS for q in QUERIES)


@pytest.mark.parametrize("query", QUERIES, ids=[q.qid for q in QUERIES])
def test_a_right_resource_ranks_first(searcher, query):
    hits = searcher.search(query.text, limit=1).hits
    first = hits[0].id if hits else None
    if query.qid in KNOWN_FAILURES:
        assert first not in QRELS[query.qid], f"{query.qid} passes now: remove it from known_failures.tsv"
    else:
        assert first in QRELS[query.qid], f"{query.qid} {query.text!r} ranked {first!r} first"


@pytest.mark.parametrize(
    "text, qid",
    [
        ("art 37 marches reserves", "R01"),
        ("coconstruction", "R04"),
        ("économie sociale et solidaire", "R07"),
        ("insertion par l'activité économique", "R08"),
    ],
)
def test_the_issue_searches_from_the_command_line(corpus_index, text, qid):
    result = CliRunner().invoke(cli, ["search", text, "--index-dir", str(corpus_index), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["hits"][0]["id"] in QRELS[qid]
