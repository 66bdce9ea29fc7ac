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


def documents(source: Path, mapping_args: tuple):
    """The documents of ``source`` with their metadata, as our indexer sees them: the
    baselines index the same documents with the same facet values."""
    from indexer import FieldMapping, iter_documents
    from indexer.documents import Document
    from indexer.metadata import extract_metadata

    for doc in iter_documents([source], FieldMapping(*mapping_args[:3], mapping_args[3])):
        if isinstance(doc, Document):
            yield extract_metadata(doc)


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


QUERY_ORDERS = ("spread", "first")


def load_queries(count: int, warmup: int, order: str = "spread") -> tuple[list[str], list[str]]:
    """``(measured, warm_up)`` query strings.

    ``spread`` (the default): evenly spaced over the file, disjoint.
    ``first``: issue 12's protocol "measured from outside": the first
    ``warmup`` lines of the file warm up, then the first ``count`` are
    measured (the warm-up ones among them).
    """
    with open(QUERIES, encoding="utf-8", newline="") as handle:
        rows = [row["query"] for row in csv.DictReader(handle, delimiter="\t") if row["query"].strip()]
    if order == "first":
        return rows[:count], rows[:warmup]
    if count + warmup > len(rows):
        raise ValueError(f"{count} + {warmup} queries asked, {len(rows)} available")
    step = len(rows) / (count + warmup)
    picked = [rows[int(i * step)] for i in range(count + warmup)]
    return picked[warmup:], picked[:warmup]
