"""Measure the ranking model's parts and knobs on CDTN (tune on dev, never on test).

Usage: .venv/bin/python scripts/bench/ranking.py CDTN_INDEX_DIR [dev|test] [first|all]

Each query is planned by the product (``search.plan.plan_search``: parse,
typo corrections, thesaurus, one clause per word) and every clause of the
plan is scored once per text field, as are its adjacent-pair phrases. The rows below then
recombine those scores offline, so a grid of settings costs one pass over
the index: the shipped setting reproduces ``rtes-search eval`` (checked
on its first row) and each other row changes one thing.

Each row: the setting, then nDCG@10, R@100 and MRR@10.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from indexer.schema import FIELD_BOOSTS
from search import Searcher, ranking
from search.evaluation import read_qrels, read_queries, score_ranking
from search.nodes import AllOf, AnyOf, Terms, Without
from search.plan import plan_search

CDTN = Path(__file__).resolve().parents[2] / "data" / "cdtn-datafiller-2020"
FIELDS = ("title", "summary", "body")


def _in_field(node, field: str):
    """``node`` reduced to its terms of one ranked field, at boost 1 (other fields' terms dropped: None)."""
    if isinstance(node, Terms):
        if node.field not in FIELD_BOOSTS:
            return node
        return replace(node, boost=node.boost / FIELD_BOOSTS[field]) if node.field == field else None
    if isinstance(node, (AnyOf, AllOf)):
        children = [c for c in (_in_field(c, field) for c in node.children) if c is not None]
        if not children or (isinstance(node, AllOf) and len(children) < len(node.children)):
            return None
        return type(node)(tuple(children))
    if isinstance(node, Without):
        positive = _in_field(node.positive, field)
        return Without(positive, node.negative) if positive is not None else None
    return node


def _scores(searcher: Searcher, node) -> dict[int, float]:
    """``{doc: score}`` of a plan node over every visible document (the product's array evaluation)."""
    if node is None:
        return {}
    found = searcher._evaluator.evaluate(node, searcher._facets.visible(False))
    return dict(zip(found.docs.tolist(), found.scores.tolist()))


def features(searcher: Searcher, text: str):
    """``(clauses, pairs)``: per clause {field: {doc: score}}; per field the pair-phrase score maps."""
    plan = plan_search(text, searcher.view(), {})
    per_clause = [{f: _scores(searcher, _in_field(c, f)) for f in FIELDS} for c in plan.clauses]
    pairs: dict[str, list] = {}
    for phrase in plan.pairs:
        pairs.setdefault(phrase.field, []).append(_scores(searcher, phrase))
    return per_clause, pairs


def rank(per_clause, pairs, boosts, proximity: float, coordination: float, tiers: bool = False,
         searched: int = 0) -> list[int]:
    """The 100 best documents under one setting; with ``searched`` (the visible documents), each clause
    counts its idf in the coordination (``search.ranking.rarity``), else 1."""
    total: dict[int, float] = {}
    matched: dict[int, float] = {}
    weights = 0.0
    for clause in per_clause:
        docs = set()
        for field, scores in clause.items():
            for doc, score in scores.items():
                total[doc] = total.get(doc, 0.0) + boosts[field] * score
                docs.add(doc)
        weight = ranking.rarity(len(docs), searched) if searched else 1.0
        weights += weight
        for doc in docs:
            matched[doc] = matched.get(doc, 0) + weight
    for maps in pairs.values():
        for scores in maps:
            for doc, score in scores.items():
                if doc in total:
                    total[doc] += proximity * score
    n = weights
    if tiers:  # every word first, then most words; by score within each
        key = lambda d: (-matched[d], -total[d], d)  # noqa: E731
    else:
        key = lambda d: (-total[d] * (matched[d] / n) ** coordination, d)  # noqa: E731
    return sorted(total, key=key)[:100]


def settings(searched: int):
    shipped = dict(boosts=dict(FIELD_BOOSTS), proximity=ranking.PROXIMITY, coordination=1.0, searched=searched)
    yield "shipped: coordination by idf, proximity 1, title x3", shipped
    yield "coordination counting every word alike (matched / n)", {**shipped, "searched": 0}
    yield "every word first, then most words (tiers)", {**shipped, "proximity": 0.0, "tiers": True, "searched": 0}
    yield "sum of word scores (no coordination, no proximity)", {**shipped, "proximity": 0.0, "coordination": 0.0}
    yield "coordination only (no proximity)", {**shipped, "proximity": 0.0}
    for value in (0.5, 2.0, 3.0):
        yield f"proximity {value}", {**shipped, "proximity": value}
    for value in (0.5, 1.5, 2.0):
        yield f"coordination exponent {value}", {**shipped, "coordination": value}
    for value in (1.5, 2.0, 4.0):
        yield f"title x{value}", {**shipped, "boosts": {**FIELD_BOOSTS, "title": value}}


def main(index_dir: str, split: str = "dev", variants: str = "all") -> None:
    splits = dict(line.split("\t")[:2] for line in (CDTN / "topics_split.tsv").read_text().splitlines()[1:])
    queries = [q for q in read_queries(CDTN / "queries.tsv", first_variant=variants == "first")
               if splits.get(q.judged_by, "").strip() == split]
    qrels = read_qrels(CDTN / "qrels.trec")
    with Searcher(Path(index_dir)) as searcher:
        ids = [searcher._searcher.stored_fields(d)["id"] for d in range(searcher._postings.size)]
        judged = [(qrels[q.judged_by], features(searcher, q.text)) for q in queries if qrels.get(q.judged_by)]
        searched = int(searcher._facets.visible(False).sum())
    print(f"{split}, {variants} variants, {len(judged)} queries: nDCG@10 R@100 MRR@10")
    for name, setting in settings(searched):
        sums = [0.0, 0.0, 0.0]
        for grades, (per_clause, pairs) in judged:
            if not per_clause:
                continue
            metrics = score_ranking([ids[d] for d in rank(per_clause, pairs, **setting)], grades)
            for i, metric in enumerate(("ndcg@10", "recall@100", "mrr@10")):
                sums[i] += metrics[metric]
        print(f"{name:55s} " + " ".join(f"{s / len(judged):.4f}" for s in sums))


if __name__ == "__main__":
    main(*sys.argv[1:])
