"""The benchmark's inputs: a sample of the law corpus and the query strings.

Smaller indexes are evenly spaced samples of the 101,194 articles, so every
size holds every code rather than the first articles of the Code civil.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAW_CORPUS = ROOT / "data" / "codes-juridiques-francais" / "articles.jsonl.gz"
QUERIES = Path(__file__).resolve().parent / "queries.tsv"
RTES_CORPUS = ROOT / "corpus"

# How the JSONL ingester reads the law articles: the code is the type facet,
# in-force or not the collection; themes, territories and year are extracted.
MAPPING_ARGS = ("doc_id", "title", "text", (("type", "code"), ("collection", "status")))


def law_lines() -> list[bytes]:
    """Every JSON line of the law corpus."""
    with gzip.open(LAW_CORPUS, "rb") as handle:
        return [line for line in handle if line.strip()]


def write_sample(lines: list[bytes], size: int, path: Path) -> Path:
    """Write ``size`` evenly spaced lines to ``path`` (JSONL) and return it."""
    if size > len(lines):
        raise ValueError(f"size {size} exceeds the {len(lines)} articles of the corpus")
    step = len(lines) / size
    with open(path, "wb") as out:
        out.writelines(lines[int(i * step)] for i in range(size))
    return path


def load_queries(count: int, warmup: int) -> tuple[list[str], list[str]]:
    """``(measured, warm_up)`` query strings, evenly spaced over the file, disjoint."""
    with open(QUERIES, encoding="utf-8", newline="") as handle:
        rows = [row["query"] for row in csv.DictReader(handle, delimiter="\t") if row["query"].strip()]
    if count + warmup > len(rows):
        raise ValueError(f"{count} + {warmup} queries asked, {len(rows)} available")
    step = len(rows) / (count + warmup)
    picked = [rows[int(i * step)] for i in range(count + warmup)]
    return picked[warmup:], picked[:warmup]
