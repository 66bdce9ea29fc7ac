"""Relevance metrics against hand-computed values, run files, and the eval command."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from search.cli import cli
from search.evaluation import (
    Ranker, mrr_at, ndcg_at, read_qrels, read_queries, recall_at, trec_order, write_run, evaluate,
)

from conftest import ROOT

RTES = ROOT / "tests" / "eval" / "rtes"


def test_ndcg_is_trec_eval_ndcg_cut():
    grades = {"a": 3, "b": 1, "c": 2}
    ranking = ["b", "x", "a"]
    dcg = 1 / math.log2(2) + 3 / math.log2(4)
    idcg = 3 / math.log2(2) + 2 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at(ranking, grades) == pytest.approx(dcg / idcg)
    assert ndcg_at(["a", "c", "b"], grades) == pytest.approx(1.0)
    assert ndcg_at(["x"] * 10 + ["a"], grades) == 0.0


def test_recall_and_mrr():
    grades = {"a": 2, "b": 1, "z": 0}
    assert recall_at(["x", "b", "z"], grades) == 0.5
    assert mrr_at(["x", "z", "b"], grades) == pytest.approx(1 / 3)
    assert mrr_at(["x"] * 10 + ["a"], grades) == 0.0


def test_trec_order_breaks_ties_by_doc_id_descending():
    assert trec_order([("a", 1.0), ("c", 2.0), ("b", 1.0)]) == [("c", 2.0), ("b", 1.0), ("a", 1.0)]


def test_cdtn_queries_are_judged_by_topic():
    cdtn = ROOT / "data" / "cdtn-datafiller-2020"
    queries = read_queries(cdtn / "queries.tsv")
    first = read_queries(cdtn / "queries.tsv", first_variant=True)
    assert (len(queries), len(first)) == (4940, 272)
    assert (first[0].qid, first[0].text, first[0].judged_by) == ("T001-01", "13eme mois", "T001")
    assert read_qrels(cdtn / "qrels.trec")["T001"]["cdt:L3221-3"] == 5


def test_ranker_ranks_like_the_searcher(corpus_index, searcher):
    with Ranker(corpus_index) as ranker:
        for text in ("marchés réservés", "co-construction des politiques publiques", "ESS"):
            hits = searcher.search(text, limit=3).hits
            assert [doc for doc, _ in ranker.rank(text, limit=3)] == [h.id for h in hits]


def test_run_file_is_trec_format(corpus_index, tmp_path):
    with Ranker(corpus_index) as ranker:
        results = evaluate(ranker, read_queries(RTES / "queries.tsv")[:2], read_qrels(RTES / "qrels.trec"))
    write_run(results, tmp_path / "run.trec")
    first = (tmp_path / "run.trec").read_text().splitlines()[0].split()
    assert first[:4] == ["R01", "Q0", "retour-sur-la-conference-en-ligne-marches-reserves-du-5-juin-2018", "1"]
    assert first[5] == "rtes-search" and float(first[4]) > 0


def test_eval_command_json(corpus_index, tmp_path):
    result = CliRunner().invoke(cli, [
        "eval", "--queries", str(RTES / "queries.tsv"), "--qrels", str(RTES / "qrels.trec"),
        "--index-dir", str(corpus_index), "--run", str(tmp_path / "run"), "--json", "--per-query",
    ])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["all"]["queries"] == len(data["queries"]) >= 30
    assert len((tmp_path / "run").read_text().splitlines()) > 42


def test_eval_command_errors(corpus_index, tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\ttext\nq1\tESS\n", encoding="utf-8")
    args = ["eval", "--queries", str(bad), "--qrels", str(RTES / "qrels.trec"), "--index-dir", str(corpus_index)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "qid" in result.output
    args = ["eval", "--queries", str(RTES / "queries.tsv"), "--qrels", str(RTES / "qrels.trec"),
            "--index-dir", str(tmp_path / "none")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and "aucun index" in result.output
