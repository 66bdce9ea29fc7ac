"""Measure each stemmer option on the RTES queries and the CDTN collection.

Usage: .venv/bin/python scripts/bench/stemmers.py WORKDIR [--first-only] [STEMMER ...]

For each stemmer (default: all of indexer.analysis.STEMMERS) it builds the
RTES and CDTN indexes with that stemmer in WORKDIR/<stemmer>-{rtes,cdtn}
(reused when present: a CDTN build takes minutes), then prints one TSV row:
RTES MRR@10, and nDCG@10 / R@100 / MRR@10 on the CDTN dev and test topics,
first variant of each topic and all variants (``--first-only``: the first
variants only, a few minutes less per stemmer). The chosen stemmer is the
best on CDTN dev (README, "French analysis").
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

import indexer.generation
from indexer import FieldMapping, build_index
from indexer.analysis import STEMMERS
from indexer.schema import build_schema
from indexer.storage import current_generation
from search.evaluation import Ranker, evaluate, mean_metrics, read_qrels, read_queries

ROOT = Path(__file__).resolve().parents[2]
CDTN = ROOT / "data" / "cdtn-datafiller-2020"
RTES = ROOT / "tests" / "eval" / "rtes"


def _build(paths, index_dir: Path, stemmer: str, mapping=None) -> None:
    if current_generation(index_dir) is not None:
        return
    indexer.generation.SCHEMA = build_schema(stemmer)  # the writer indexes with this schema
    started = time.perf_counter()
    build_index(paths, index_dir, mapping=mapping)
    print(f"# built {index_dir} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def _splits() -> dict[str, str]:
    with (CDTN / "topics_split.tsv").open(encoding="utf-8") as f:
        return {row["topic_id"]: row["split"] for row in csv.DictReader(f, delimiter="\t")}


def _cdtn_row(index_dir: Path, first_only: bool) -> list[str]:
    qrels, splits, cells = read_qrels(CDTN / "qrels.trec"), _splits(), []
    with Ranker(index_dir) as ranker:  # queries analysed by the schema pickled in the index
        for first in (True,) if first_only else (True, False):
            results = evaluate(ranker, read_queries(CDTN / "queries.tsv", first_variant=first), qrels)
            for split in ("dev", "test"):
                means = mean_metrics([r for r in results if splits[r.query.judged_by] == split])
                cells += [f"{means[m]:.4f}" for m in ("ndcg@10", "recall@100", "mrr@10")]
    return cells


def main(workdir: str, *stemmers: str) -> None:
    work, first_only = Path(workdir), "--first-only" in stemmers
    stemmers = tuple(s for s in stemmers if s != "--first-only")
    print("\t".join(["stemmer", "rtes_mrr@10"] + [
        f"{part}_{split}_{m}" for part in ("first", "all") for split in ("dev", "test")
        for m in ("ndcg@10", "r@100", "mrr@10")
    ]))
    for stemmer in stemmers or STEMMERS:
        _build([ROOT / "corpus"], work / f"{stemmer}-rtes", stemmer)
        _build([CDTN / "corpus.jsonl.gz"], work / f"{stemmer}-cdtn", stemmer, FieldMapping("doc_id", "title", "text"))
        with Ranker(work / f"{stemmer}-rtes") as ranker:
            rtes = mean_metrics(evaluate(ranker, read_queries(RTES / "queries.tsv"), read_qrels(RTES / "qrels.trec")))
        print("\t".join([stemmer, f"{rtes['mrr@10']:.4f}", *_cdtn_row(work / f"{stemmer}-cdtn", first_only)]), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
