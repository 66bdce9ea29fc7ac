"""Relevance regression on the CDTN collection (French labour-law search, graded judgments).

The whole collection (14,673 documents) is indexed once per test session;
every query is ranked and scored, per half of the topics
(``topics_split.tsv``: tune on ``dev``, report ``test``), for the first
query variant of each topic and for all 4,940 variants (typos, missing
accents, colloquial wording: what Lucene is compared on in the README).
The index is built with meaning vectors (``indexer.meaning``: encoding
the 14,673 documents takes about 1.5 minutes of one core), and every
query is ranked twice: by the words alone (``Ranker(meaning=False)``, the
ranking of an index without vectors) and as shipped with vectors, the
first 100 hits re-ordered by meaning (``search.meaning``).
The expected figures are in ``cdtn/expected.tsv``: a change of analysis
or ranking that moves them updates that file deliberately, with the
reason in the commit message and the README table.
"""

from __future__ import annotations

import csv

import pytest

from indexer import FieldMapping, build_index
from search.evaluation import METRICS, Ranker, evaluate, mean_metrics, read_qrels, read_queries

from conftest import ROOT

# One worker runs the whole module, so the index (and its meaning vectors) is built once, not once per worker
# (about 5 minutes of one core: indexing 1.5, encoding 1.5, ranking 4,940 queries twice 2).
pytestmark = pytest.mark.xdist_group("cdtn")

CDTN = ROOT / "data" / "cdtn-datafiller-2020"
EXPECTED = ROOT / "tests" / "eval" / "cdtn" / "expected.tsv"


def _rows(path):
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"))


def test_the_module_runs_on_one_worker(request):
    """Under ``pytest -n 2 --dist loadgroup`` (``make test``), the tests of this module carry their group,
    so one worker runs them all and builds the index once (pytest 9.2 with pytest-xdist 3.8 dropped
    the group: each worker built it, 6 more minutes of one core; hence ``pytest<9.2`` in setup.cfg)."""
    if request.config.getoption("loadgroup", False):
        assert request.node.nodeid.endswith("@cdtn")


@pytest.fixture(scope="session")  # a worker may run other modules between these tests: built once all the same
def cdtn_results(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("cdtn")
    build_index([CDTN / "corpus.jsonl.gz"], index_dir, mapping=FieldMapping("doc_id", "title", "text"), meaning=True)
    splits = {row["topic_id"]: row["split"] for row in _rows(CDTN / "topics_split.tsv")}
    queries, qrels = read_queries(CDTN / "queries.tsv"), read_qrels(CDTN / "qrels.trec")
    found = {}
    for ranking in ("words", "meaning"):
        with Ranker(index_dir, meaning=ranking == "meaning") as ranker:
            results = evaluate(ranker, queries, qrels)
        first = {key: r for r in reversed(results) for key in [r.query.judged_by]}  # topic → its first variant
        for split in ("dev", "test"):
            for variants, chosen in (("first", list(first.values())), ("all", results)):
                found[ranking, split, variants] = [r for r in chosen if splits[r.query.judged_by] == split]
    return found


@pytest.mark.parametrize("expected", _rows(EXPECTED),
                         ids=lambda row: f"{row['ranking']}-{row['split']}-{row['variants']}")
def test_cdtn_relevance_is_as_recorded(cdtn_results, expected):
    results = cdtn_results[expected["ranking"], expected["split"], expected["variants"]]
    assert len(results) == int(expected["queries"])
    measured = mean_metrics(results)
    for metric in METRICS:
        assert measured[metric] == pytest.approx(float(expected[metric]), abs=5e-4), metric
