#!/usr/bin/env python3
"""Time metadata extraction per document on a JSONL corpus (the law articles by default).

    .venv/bin/python scripts/bench/metadata_extraction.py [FILE.jsonl.gz] [--limit N]

Prints the gazetteer load time, p50/p95/mean microseconds per document,
and how many documents got a type, a year, themes and territories (for
law articles, type and year must stay empty). A measurement, not a test.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
from collections import Counter

from indexer.documents import Document
from indexer.metadata import extract_metadata
from indexer.metadata.gazetteer import gazetteer

LAW = "data/codes-juridiques-francais/articles.jsonl.gz"


def documents(path: str, limit: int | None):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if limit is not None and n >= limit:
                return
            record = json.loads(line)
            yield Document(id=record["doc_id"], title=record["title"], body=record["text"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=LAW)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    started = time.perf_counter()
    gazetteer()
    print(f"gazetteer: {time.perf_counter() - started:.2f} s")
    timings, filled, values = [], Counter(), Counter()
    for doc in documents(args.path, args.limit):
        started = time.perf_counter()
        out = extract_metadata(doc)
        timings.append((time.perf_counter() - started) * 1e6)
        filled.update(name for name in ("type", "year", "themes", "territories") if getattr(out, name))
        values.update(out.territories)
    timings.sort()
    print(f"{len(timings)} documents, {sum(timings) / 1e6:.1f} s: p50 {timings[len(timings) // 2]:.0f} µs, "
          f"p95 {timings[int(len(timings) * 0.95)]:.0f} µs, mean {statistics.fmean(timings):.0f} µs per document")
    print("documents with a value:", dict(filled), f"- {len(values)} distinct territories")
    print("most frequent territories:", values.most_common(12))


if __name__ == "__main__":
    main()
