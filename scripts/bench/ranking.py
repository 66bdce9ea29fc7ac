"""Sweep ranking knobs on the CDTN dev topics (never on test): BM25F K1 and B,
the title boost, and AND versus OR between query words.

Usage: .venv/bin/python scripts/bench/ranking.py CDTN_INDEX_DIR [dev|test] [first|all] [OP:TITLE:K1:B ...]

Without settings it sweeps the grid below; with them (``or:3:1.2:0.75``) it
measures only those, e.g. the chosen setting on the test topics.

Each row: operator, title boost, K1, B, then nDCG@10, R@100 and MRR@10.
Parsing is the product's (search.query) except for the operator; the
thesaurus is applied as in ``Searcher.search``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import qparser, scoring

from indexer.schema import FIELD_BOOSTS, SCHEMA, TEXT_FIELDS
from indexer.storage import current_generation
from search.evaluation import METRICS, read_qrels, read_queries, score_ranking, trec_order
from search.thesaurus import expand_query

CDTN = Path(__file__).resolve().parents[2] / "data" / "cdtn-datafiller-2020"
GROUPS = {"and": qparser.AndGroup, "or": qparser.OrGroup}


def measure(searcher, queries, qrels, group, boosts) -> dict[str, float]:
    # Parsed with the schema the code declares (an older build may have pickled other settings).
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), SCHEMA, fieldboosts=boosts, group=group)
    totals = dict.fromkeys(METRICS, 0.0)
    for query in queries:
        q, _ = expand_query(parser.parse(query.text), searcher.schema)
        hits = trec_order([(hit["id"], hit.score) for hit in searcher.search(q, limit=100)])
        for name, value in score_ranking([doc for doc, _ in hits], qrels[query.judged_by]).items():
            totals[name] += value
    return {name: total / len(queries) for name, total in totals.items()}


def _grid() -> list[tuple[str, float, float, float]]:
    settings = [(op, title, 1.2, 0.75) for op in GROUPS for title in (1.0, 2.0, 3.0, 5.0)]
    return settings + [(op, FIELD_BOOSTS["title"], k1, b) for op in GROUPS for k1, b in
                       ((0.9, 0.4), (0.9, 0.75), (1.2, 0.5), (1.2, 0.9), (1.6, 0.75), (2.0, 0.75))]


def main(index_dir: str, split: str = "dev", variants: str = "first", *chosen: str) -> None:
    with (CDTN / "topics_split.tsv").open(encoding="utf-8") as f:
        splits = {row["topic_id"]: row["split"] for row in csv.DictReader(f, delimiter="\t")}
    qrels = read_qrels(CDTN / "qrels.trec")
    queries = [q for q in read_queries(CDTN / "queries.tsv", variants == "first") if splits[q.judged_by] == split]
    ix = whoosh_index.open_dir(str(current_generation(Path(index_dir))))
    settings = [(op, *map(float, rest)) for op, *rest in (c.split(":") for c in chosen)] or _grid()
    print("operator\ttitle\tK1\tB\t" + "\t".join(METRICS))
    for op, title, k1, b in settings:
        with ix.searcher(weighting=scoring.BM25F(K1=k1, B=b)) as searcher:
            means = measure(searcher, queries, qrels, GROUPS[op], {**FIELD_BOOSTS, "title": title})
        print(f"{op}\t{title}\t{k1}\t{b}\t" + "\t".join(f"{means[m]:.4f}" for m in METRICS), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
