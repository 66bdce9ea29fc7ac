"""The benchmark keeps working: a tiny run end to end (no timing is asserted)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from bench.corpus import load_queries
from bench.stats import median_of_runs, percentiles
from conftest import ROOT


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> tuple[dict, str]:
    out = tmp_path_factory.mktemp("bench")
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--sizes", "50", "--queries", "20", "--warmup", "5", "--cold-runs", "1",
         "--http-requests", "13", "--write-puts", "20", "--write-batches", "1", "--write-searches", "10",
         "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    return json.loads((out / "bench.json").read_text(encoding="utf-8")), done.stdout


ENGINES = ("ours", "whoosh") + (("tantivy",) if importlib.util.find_spec("tantivy") else ())


def test_every_engine_indexes_the_sample(tiny_run):
    result, _ = tiny_run
    assert sorted(result["sizes"]["50"]) == sorted(ENGINES)
    for engine in ENGINES:
        index = result["sizes"]["50"][engine]["index"]
        assert index["documents"] == 50 and index["size_bytes"] > 0
        assert index["peak_tree_rss_bytes"] >= 10 * 1024 * 1024


def test_every_mode_has_ordered_percentiles(tiny_run):
    result, _ = tiny_run
    search = result["sizes"]["50"]["ours"]["search"]
    for mode in ("hits", "snippets", "facets"):
        assert 0 < search[mode]["p50"] <= search[mode]["p95"] <= search[mode]["p99"]
    assert search["peak_rss_bytes"] > 10 * 1024 * 1024
    slowest = result["sizes"]["50"]["ours"]["slowest_queries_ms"]["facets"]
    assert len(slowest) == 5 and slowest[0][0] >= slowest[-1][0]


def test_table_compares_with_the_other_engines_and_checks_targets(tiny_run):
    result, printed = tiny_run
    assert "| 50 | ours ÷ Whoosh | ×" in printed
    if "tantivy" in ENGINES:
        assert "| 50 | ours ÷ tantivy | ×" in printed
    assert "CLI cold search ≤ 0.4 s" in printed and "indexing ≥ 800 docs/s" in printed
    assert result["cli_cold_start"]["median_s"] > 0


def test_the_server_is_loaded_at_1_and_10_clients(tiny_run):
    result, printed = tiny_run
    http = result["sizes"]["50"]["ours"]["http"]
    assert sorted(http) == ["1", "10"]
    assert all(level["requests"] == 13 and level["req_per_s"] > 0 for level in http.values())
    assert "HTTP 10 clients ≥ 80 req/s" in printed


def test_the_write_api_is_measured_on_both_indexes_and_checked_against_issue_20(tiny_run):
    result, printed = tiny_run
    for name in ("rtes", "50"):
        writes = result["writes"][name]
        assert writes["puts"]["documents"] == 20 and writes["puts"]["docs_per_s"] > 0
        assert writes["batches"]["batches"] == 1 and writes["batches"]["docs_per_s"] > 0
        for phase in ("idle", "busy"):
            assert writes[phase]["count"] == 10 and 0 < writes[phase]["p50_ms"] <= writes[phase]["p95_ms"]
    assert "PUT from 10 clients ≥ 100 docs/s on corpus/'s index" in printed
    assert "search p95 under 10 PUT/s ≤ ×2 idle at 50 documents" in printed


def test_measured_and_warm_up_queries_are_real_and_disjoint():
    measured, warmup = load_queries(500, 50)
    assert len(measured) == 500 and len(warmup) == 50
    assert "13eme mois" in warmup
    assert not set(measured) & set(warmup)


def test_the_protocol_measured_from_outside_takes_the_first_lines():
    measured, warmup = load_queries(500, 50, "first")
    assert measured[:2] == ["13eme mois", "13 eme mois"] and len(measured) == 500
    assert warmup == measured[:50]


def test_percentiles_and_medians():
    assert percentiles([float(v) for v in range(1, 102)]) == {"p50": 51.0, "p95": 96.0, "p99": 100.0}
    runs = [{"a": {"b": 1}, "q": [[9.0, "x"]]}, {"a": {"b": 5}, "q": [[7.0, "y"]]}]
    assert median_of_runs(runs + [{"a": {"b": 2}, "q": []}]) == {"a": {"b": 2}, "q": [[9.0, "x"]]}
