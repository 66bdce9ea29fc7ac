"""Relevance evaluation: run judged queries, score the rankings, write TREC runs.

Metrics follow trec_eval so numbers compare with published ones:

- ``ndcg@10`` is trec_eval's ``ndcg_cut_10``: gain = the judged grade,
  discount log2(rank + 1), ideal ranking from all judged grades of the query;
- ``recall@100``: share of the relevant documents (grade > 0) in the top 100;
- ``mrr@10``: 1 / rank of the first relevant document in the top 10, else 0.

As in trec_eval, a ranking is ordered by score, ties by document id in
decreasing order, and only queries with judgments are scored. A query file
with a ``topic_id`` column is judged by its topic's qrels (the CDTN files).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from search.backend import open_searcher

METRICS = ("ndcg@10", "recall@100", "mrr@10")
RUN_DEPTH = 100


@dataclass(frozen=True)
class JudgedQuery:
    """One query of a query file, and the key of its judgments (topic or qid)."""

    qid: str
    text: str
    judged_by: str


def read_queries(path: Path, first_variant: bool = False) -> list[JudgedQuery]:
    """Queries of a TSV file with a header (``qid``, ``query``, optional ``topic_id``).

    ``first_variant`` keeps only the first query of each topic.
    """
    with Path(path).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    if rows and not {"qid", "query"} <= rows[0].keys():
        raise ValueError(f"{path} : colonnes « qid » et « query » attendues dans l'en-tête")
    queries, seen = [], set()
    for row in rows:
        key = row.get("topic_id") or row["qid"]
        if first_variant and key in seen:
            continue
        seen.add(key)
        queries.append(JudgedQuery(row["qid"], row["query"], key))
    return queries


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """TREC qrels ``qid 0 docid grade`` → {qid: {docid: grade}}."""
    qrels: dict[str, dict[str, int]] = {}
    with Path(path).open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 4:
                raise ValueError(f"{path}:{number} : 4 colonnes attendues (qid 0 docid grade)")
            qrels.setdefault(parts[0], {})[parts[2]] = int(parts[3])
    return qrels


def ndcg_at(ranking: list[str], grades: dict[str, int], k: int = 10) -> float:
    """trec_eval ``ndcg_cut_k``."""
    dcg = sum(grades.get(doc, 0) / math.log2(rank + 2) for rank, doc in enumerate(ranking[:k]))
    ideal = sorted((g for g in grades.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(rank + 2) for rank, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranking: list[str], grades: dict[str, int], k: int = 100) -> float:
    relevant = {doc for doc, g in grades.items() if g > 0}
    return len(relevant.intersection(ranking[:k])) / len(relevant) if relevant else 0.0


def mrr_at(ranking: list[str], grades: dict[str, int], k: int = 10) -> float:
    for rank, doc in enumerate(ranking[:k], 1):
        if grades.get(doc, 0) > 0:
            return 1.0 / rank
    return 0.0


def score_ranking(ranking: list[str], grades: dict[str, int]) -> dict[str, float]:
    """The three metrics of one ranked list of document ids."""
    return {
        "ndcg@10": ndcg_at(ranking, grades),
        "recall@100": recall_at(ranking, grades),
        "mrr@10": mrr_at(ranking, grades),
    }


def trec_order(hits: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Hits as trec_eval reads a run: score descending, ties by doc id descending."""
    return sorted(hits, key=lambda h: (h[1], h[0]), reverse=True)


class Ranker:
    """The ranking of a backend's ``search`` (its ``ranking``): ids and scores only.

    Evaluation needs 100 hits for thousands of queries; it skips snippets
    and facet counts, which do not change the order (a test checks that
    both rank alike).
    """

    def __init__(self, target: Path | str, meaning: bool = True):
        """``target``: an index folder or a cluster address (``search.open_searcher``); ``meaning=False``
        ranks by the words alone on an index with meaning vectors (``search.meaning``)."""
        self._searcher = open_searcher(target)
        if not meaning and hasattr(self._searcher, "meaning"):
            self._searcher.meaning = False

    def rank(self, text: str, limit: int = RUN_DEPTH) -> list[tuple[str, float]]:
        return trec_order(self._searcher.ranking(text, depth=limit))

    def close(self) -> None:
        self._searcher.close()

    def __enter__(self) -> "Ranker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass(frozen=True)
class QueryResult:
    """One evaluated query: its metrics and its ranked hits (for the run file)."""

    query: JudgedQuery
    metrics: dict[str, float]
    hits: tuple[tuple[str, float], ...]


def evaluate(ranker: Ranker, queries: list[JudgedQuery], qrels: dict[str, dict[str, int]]) -> list[QueryResult]:
    """Rank and score every query that has judgments."""
    results = []
    for query in queries:
        grades = qrels.get(query.judged_by)
        if not grades:
            continue
        hits = ranker.rank(query.text)
        results.append(QueryResult(query, score_ranking([doc for doc, _ in hits], grades), tuple(hits)))
    return results


def mean_metrics(results: list[QueryResult]) -> dict[str, float]:
    """Mean of each metric over ``results`` (0 for an empty list)."""
    n = len(results) or 1
    return {name: sum(r.metrics[name] for r in results) / n for name in METRICS}


def write_run(results: list[QueryResult], path: Path, tag: str = "rtes-search") -> None:
    """TREC run format: ``qid Q0 docid rank score tag``, one line per hit."""
    with Path(path).open("w", encoding="utf-8") as f:
        for result in results:
            for rank, (doc, score) in enumerate(result.hits, 1):
                f.write(f"{result.query.qid} Q0 {doc} {rank} {score:.6f} {tag}\n")
